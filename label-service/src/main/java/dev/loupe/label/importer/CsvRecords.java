package dev.loupe.label.importer;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: comma-separated, fields optionally in double quotes ("" inside quotes is one quote). */
final class CsvRecords {

    /** One record and the line of the file it starts on (1-based). */
    record Record(int line, List<String> fields) {
    }

    private CsvRecords() {
    }

    /** The records of the text, blank lines left out; an unterminated quote ends the text. */
    static List<Record> parse(String text) {
        List<Record> records = new ArrayList<>();
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int start = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || !field.isEmpty()) {
                    fields.add(field.toString());
                    records.add(new Record(start, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                any = false;
                line++;
                start = line;
            } else {
                field.append(c);
            }
        }
        if (any || !field.isEmpty()) {
            fields.add(field.toString());
            records.add(new Record(start, List.copyOf(fields)));
        }
        return records;
    }
}
