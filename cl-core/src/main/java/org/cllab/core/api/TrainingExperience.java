package org.cllab.core.api;

import java.util.List;
import java.util.Map;
import org.cllab.core.data.TaskData;

/**
 * The training view of one task: what a task-aware learner receives. It knows which task it is (task
 * boundaries are given in all three settings during training) but holds only that task's data.
 *
 * @param task     the task being learned
 * @param data     its training samples
 * @param scenario static scenario facts
 * @param sources  additional named training sources that belong to this experience (empty for ordinary
 *                 streams; multi-source meta-transfer such as Meta-RTL receives its rich-resource source tasks
 *                 here, the target task being {@code data})
 */
public record TrainingExperience(TaskInfo task, TaskData data, ScenarioInfo scenario, Map<String, TaskData> sources) {
    public TrainingExperience {
        sources = Map.copyOf(sources);
    }

    public TrainingExperience(TaskInfo task, TaskData data, ScenarioInfo scenario) {
        this(task, data, scenario, Map.of());
    }

    /** 0-based index of the task. */
    public int taskIndex() {
        return task.index();
    }

    /** Convenience: a single-element list. */
    public List<TaskData> asList() {
        return List.of(data);
    }
}
