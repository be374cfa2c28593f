package io.sftap.job.classify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on: a scalar (its text as written), a map (keys in file
 * order, each with the line of the key) or a list. Built from Jackson's streaming YAML parser so
 * that every error about the rules file can name a line.
 */
final class YamlNode {
    enum Kind {
        SCALAR,
        MAP,
        LIST,
        NULL
    }

    final Kind kind;
    /** 1-based line where the value starts. */
    final int line;

    private final String text;
    private final Map<String, YamlNode> map;
    private final Map<String, Integer> keyLines;
    private final List<YamlNode> list;

    private YamlNode(Kind kind, int line, String text, Map<String, YamlNode> map, Map<String, Integer> keyLines, List<YamlNode> list) {
        this.kind = kind;
        this.line = line;
        this.text = text;
        this.map = map;
        this.keyLines = keyLines;
        this.list = list;
    }

    /** The scalar's text as written ({@code yes}, {@code 53,5353}, ...); null unless a scalar. */
    String text() {
        return text;
    }

    /** Map entries in file order (empty unless a map). */
    Map<String, YamlNode> entries() {
        return map == null ? Collections.emptyMap() : Collections.unmodifiableMap(map);
    }

    /** Line of a key of this map, or this node's line when unknown. */
    int lineOf(String key) {
        Integer l = keyLines == null ? null : keyLines.get(key);
        return l != null ? l : line;
    }

    List<YamlNode> items() {
        return list == null ? Collections.emptyList() : Collections.unmodifiableList(list);
    }

    /** A human word for the kind, for messages ("a map", "a list", ...). */
    String describe() {
        switch (kind) {
            case MAP:
                return "a map";
            case LIST:
                return "a list";
            case NULL:
                return "empty";
            default:
                return "'" + text + "'";
        }
    }

    /** Parses a whole YAML document; an empty document is an empty map. */
    static YamlNode parse(String yamlText, String sourceName) throws RulesException {
        YAMLFactory factory = new YAMLFactory();
        try (JsonParser p = factory.createParser(yamlText)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode(Kind.MAP, 1, null, new LinkedHashMap<>(), new LinkedHashMap<>(), null);
            }
            YamlNode root = read(p, sourceName);
            if (p.nextToken() != null) {
                throw new RulesException(sourceName, lineOf(p), null, "more than one YAML document; a rules file is one map");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
            throw new RulesException(sourceName, line, null, "not valid YAML: " + e.getOriginalMessage().trim());
        } catch (IOException e) {
            throw new RulesException(sourceName, 0, null, "cannot read YAML: " + e.getMessage());
        }
    }

    private static YamlNode read(JsonParser p, String source) throws IOException, RulesException {
        int line = lineOf(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, YamlNode> m = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = lineOf(p);
                    if (m.containsKey(key)) {
                        throw new RulesException(source, keyLine, null,
                                "duplicate key '" + key + "' (first on line " + lines.get(key) + ")");
                    }
                    p.nextToken();
                    m.put(key, read(p, source));
                    lines.put(key, keyLine);
                }
                return new YamlNode(Kind.MAP, line, null, m, lines, null);
            }
            case START_ARRAY: {
                List<YamlNode> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, source));
                }
                return new YamlNode(Kind.LIST, line, null, null, null, l);
            }
            case VALUE_NULL:
                return new YamlNode(Kind.NULL, line, null, null, null, null);
            default:
                return new YamlNode(Kind.SCALAR, line, p.getText(), null, null, null);
        }
    }

    private static int lineOf(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
