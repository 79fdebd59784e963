package org.cllab.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Plain-text tables for the terminal. */
final class Tables {
    private Tables() {
    }

    static String matrix(JsonNode m) {
        StringBuilder b = new StringBuilder("        ");
        int t = m.get(0).size();
        for (int j = 1; j <= t; j++) {
            b.append(String.format(Locale.ROOT, "%8s", "T" + j));
        }
        b.append('\n');
        for (int i = 0; i < m.size(); i++) {
            b.append(String.format(Locale.ROOT, "%-8s", i == 0 ? "init" : "after " + i));
            for (JsonNode v : m.get(i)) {
                b.append(String.format(Locale.ROOT, "%8.4f", v.asDouble()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String num(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "n/a" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }

    static String metricsLine(JsonNode e) {
        String s = "ACC " + num(e.get("acc")) + "  BWT " + num(e.get("bwt")) + "  FWT " + num(e.get("fwt"))
                + "  forgetting " + num(e.get("forgetting"));
        if (e.has("intransigence")) {
            s += "  intransigence " + num(e.get("intransigence"));
        }
        return s;
    }
}
