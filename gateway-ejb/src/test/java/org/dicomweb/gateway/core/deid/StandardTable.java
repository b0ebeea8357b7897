package org.dicomweb.gateway.core.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The tests' own reading of the Table E.1-1 resource, independent of {@link ProfileTable}: each row's codes as the
 * standard writes them, and what the standard allows each code to do — so an engine that looks up or resolves a
 * row wrongly fails the tests.
 */
final class StandardTable {

    /** One row: the tag as written, the basic profile's code, and the option columns' codes by column name. */
    record Row(String tag, String name, String basic, List<String> columns, List<String> codes) {

        /** The code under the chosen option columns: an option's code replaces the basic one, K beating C. */
        String code(Set<String> chosenColumns) {
            String chosen = null;
            for (int i = 0; i < columns.size(); i++) {
                String code = codes.get(i);
                if (chosenColumns.contains(columns.get(i)) && !code.isEmpty() && !"K".equals(chosen)) {
                    chosen = code;
                }
            }
            return chosen == null ? basic : chosen;
        }
    }

    /** What a code allows: each letter of a combined code is one allowed outcome (U* is a sequence of UIDs). */
    static Set<Character> outcomes(String code) {
        Set<Character> outcomes = new java.util.HashSet<>();
        for (String part : code.split("/")) {
            outcomes.add(part.charAt(0));
        }
        return outcomes;
    }

    private StandardTable() {
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                StandardTable.class.getResourceAsStream("table-e1-1.tsv"), StandardCharsets.UTF_8))) {
            List<String> header = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                List<String> cells = Arrays.asList(line.split("\t", -1));
                if (header == null) {
                    header = cells;
                } else {
                    rows.add(new Row(cells.get(0), cells.get(1), cells.get(3), header.subList(4, header.size()),
                            cells.subList(4, cells.size())));
                }
            }
        }
        return rows;
    }
}
