package io.sftap.job.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the interface settings of every section into one {@link InterfaceSpec} per socket
 * ({@code folder/if}): sections that share an {@code if} share the socket, and settings written in
 * more than one of them must agree.
 */
final class InterfaceTable {
    private final String source;
    private final Map<String, List<InterfaceDraft>> byKey = new LinkedHashMap<>();
    private final Map<String, InterfaceSpec> resolved = new LinkedHashMap<>();

    InterfaceTable(String source) {
        this.source = source;
    }

    void add(InterfaceDraft d) {
        byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d);
    }

    /** Checks agreement and builds every spec; call once after all {@link #add} calls. */
    void resolve() throws RulesException {
        for (Map.Entry<String, List<InterfaceDraft>> e : byKey.entrySet()) {
            List<InterfaceDraft> ds = e.getValue();
            InterfaceDraft first = ds.get(0);
            Boolean binary = agree(ds, "format", d -> d.binary, b -> b ? "binary" : "text");
            Boolean body = agree(ds, "body", d -> d.body, b -> b ? "yes" : "no");
            Integer balance = agree(ds, "balance", d -> d.balance, String::valueOf);
            resolved.put(e.getKey(), new InterfaceSpec(first.name, first.folder,
                    binary != null && binary, body == null || body, balance == null ? 1 : balance));
        }
    }

    InterfaceSpec spec(InterfaceDraft d) {
        InterfaceSpec s = resolved.get(d.key());
        if (s == null) {
            throw new IllegalStateException("interface table not resolved for " + d.key());
        }
        return s;
    }

    private <T> T agree(List<InterfaceDraft> ds, String what, java.util.function.Function<InterfaceDraft, T> get,
            java.util.function.Function<T, String> show) throws RulesException {
        InterfaceDraft owner = null;
        T value = null;
        for (InterfaceDraft d : ds) {
            T v = get.apply(d);
            if (v == null) {
                continue;
            }
            if (owner == null) {
                owner = d;
                value = v;
            } else if (!v.equals(value) && d.line == 0) {
                throw new RulesException(source, owner.lineOf(what), owner.section,
                        "uses interface '" + d.key() + "', the built-in default (text, body yes, no balance), but sets "
                                + what + " " + show.apply(value) + "; add a section for the default interface with these settings,"
                                + " or choose another 'if'");
            } else if (!v.equals(value)) {
                throw new RulesException(source, d.lineOf(what), d.section,
                        "shares interface '" + d.key() + "' with rule '" + owner.section + "' (line " + owner.line
                                + ") but sets " + what + " " + show.apply(v) + " where that rule sets " + show.apply(value)
                                + "; rules that share an 'if' share one socket and must agree");
            }
        }
        return value;
    }
}
