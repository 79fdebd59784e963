package org.cllab.core.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results of the tasks completed so far: accuracy rows per evaluated series (a mode key such as
 * {@code class-incremental}, or {@code task-identification}) and wall time per task. Row 0 is the evaluation
 * before training, so {@code rows.get(key).size() == tasksDone + 1}.
 *
 * @param tasksDone   number of tasks trained and evaluated
 * @param rows        accuracy rows per series, each row has one entry per task
 * @param taskSeconds training wall time of each completed task
 */
public record ProtocolState(int tasksDone, Map<String, List<double[]>> rows, List<Double> taskSeconds) {
    public ProtocolState {
        Map<String, List<double[]>> copy = new LinkedHashMap<>();
        rows.forEach((k, v) -> {
            List<double[]> l = new ArrayList<>();
            v.forEach(r -> l.add(r.clone()));
            copy.put(k, Collections.unmodifiableList(l));
        });
        rows = Collections.unmodifiableMap(copy);
        taskSeconds = List.copyOf(taskSeconds);
        for (var e : rows.entrySet()) {
            if (e.getValue().size() != tasksDone + 1) {
                throw new IllegalArgumentException("series " + e.getKey() + " has " + e.getValue().size()
                        + " rows after " + tasksDone + " tasks");
            }
        }
    }

    /** The state after adding row {@code tasksDone + 1}. */
    public ProtocolState next(Map<String, double[]> row, double seconds) {
        Map<String, List<double[]>> r = new LinkedHashMap<>();
        rows.forEach((k, v) -> {
            List<double[]> l = new ArrayList<>(v);
            double[] add = row.get(k);
            if (add == null) {
                throw new IllegalArgumentException("missing series " + k);
            }
            l.add(add);
            r.put(k, l);
        });
        List<Double> s = new ArrayList<>(taskSeconds);
        s.add(seconds);
        return new ProtocolState(tasksDone + 1, r, s);
    }
}
