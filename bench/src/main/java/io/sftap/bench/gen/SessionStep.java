package io.sftap.bench.gen;

/**
 * One packet of a session template. TCP numbers are relative to the sender's ({@code seq}) and
 * the receiver's ({@code ack}) initial sequence numbers; a UDP step carries a whole datagram, cut
 * into IP fragments of {@code fragmentSize} bytes when that is positive.
 */
record SessionStep(boolean fromClient, int flags, int seq, int ack, byte[] payload, int fragmentSize) {}
