package io.sftap.job.classify;

/**
 * The interface settings one section asks for; null fields were not written in that section and
 * take their value from another section sharing the interface, or the default.
 */
final class InterfaceDraft {
    final String section;
    final int line;
    final String name;
    final String folder;
    final Boolean binary;
    final Boolean body;
    final Integer balance;
    /** Line of each setting written in the section ({@code format}, {@code body}, {@code balance}). */
    final java.util.Map<String, Integer> settingLines = new java.util.HashMap<>();

    InterfaceDraft(String section, int line, String name, String folder, Boolean binary, Boolean body, Integer balance) {
        this.section = section;
        this.line = line;
        this.name = name;
        this.folder = folder;
        this.binary = binary;
        this.body = body;
        this.balance = balance;
    }

    int lineOf(String setting) {
        return settingLines.getOrDefault(setting, line);
    }

    String key() {
        return folder + "/" + name;
    }

    /** Reads {@code if}, {@code format}, {@code body} and {@code balance} of a section. */
    static InterfaceDraft read(SectionReader s, String folder) throws RulesException {
        String name = s.string("if");
        if (name == null) {
            name = s.section(); // SF-TAP: a section without 'if' names its interface after itself
        }
        name = name.trim();
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw s.error("if", "'if' must be a plain socket name, not '" + name + "'");
        }
        String format = s.choice("format", "text", "binary");
        Boolean binary = format == null ? null : format.equals("binary");
        Integer balance = null;
        if (s.has("balance")) {
            int b = s.integer("balance", 1, 1, 1024);
            if (Integer.bitCount(b) != 1) {
                throw s.error("balance", "'balance' must be a power of two (1, 2, 4, ... 1024), not " + b);
            }
            balance = b;
        }
        InterfaceDraft d = new InterfaceDraft(s.section(), s.line(), name, folder, binary, s.optionalBool("body"), balance);
        for (String key : new String[] {"format", "body", "balance"}) {
            if (s.has(key)) {
                d.settingLines.put(key, s.lineOf(key));
            }
        }
        return d;
    }
}
