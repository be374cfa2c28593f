package io.sftap.job.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTest {

    @Test
    void addWrapsAroundAt2To32() {
        assertThat(Sequence.of(0xFFFFFFFE).add(3)).isEqualTo(Sequence.of(1));
    }

    @Test
    void differenceIsSignedAcrossWrapAround() {
        Sequence beforeWrap = Sequence.of(0xFFFFFFF0);
        Sequence afterWrap = Sequence.of(0x10);
        assertThat(afterWrap.difference(beforeWrap)).isEqualTo(0x20);
        assertThat(beforeWrap.difference(afterWrap)).isEqualTo(-0x20);
        assertThat(afterWrap.isAfter(beforeWrap)).isTrue();
        assertThat(beforeWrap.isBefore(afterWrap)).isTrue();
        assertThat(Sequence.compare(afterWrap, beforeWrap)).isEqualTo(1);
        assertThat(Sequence.later(beforeWrap, afterWrap)).isEqualTo(afterWrap);
    }

    @Test
    void printsUnsigned() {
        assertThat(Sequence.of(-1)).hasToString("4294967295");
    }
}
