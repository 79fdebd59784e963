package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code slurm} block of provenance.json, read from the environment SLURM gives a batch task. */
class ProvenanceSlurmTest {
    @Test
    void arrayTaskEnvironmentIsRecordedWithTypedIds() {
        ObjectNode s = Provenance.slurm(Map.of("SLURM_JOB_ID", "43", "SLURM_ARRAY_JOB_ID", "40",
                "SLURM_ARRAY_TASK_ID", "3", "SLURMD_NODENAME", "localhost", "SLURM_CLUSTER_NAME", "cllab",
                "SLURM_JOB_GPUS", "0,1", "HOME", "/root"));
        assertEquals(43, s.get("job_id").asLong());
        assertEquals(40, s.get("array_job_id").asLong());
        assertTrue(s.get("array_task_id").isNumber());
        assertEquals(3, s.get("array_task_id").asInt());
        assertEquals("localhost", s.get("node").asText());
        assertEquals("cllab", s.get("cluster").asText());
        assertEquals("0,1", s.get("gpus").asText());
        assertEquals(6, s.size(), s.toString());
    }

    @Test
    void outsideSlurmTheBlockIsEmpty() {
        assertEquals(0, Provenance.slurm(Map.of("SLURM_ARRAY_TASK_ID", "3", "HOME", "/root")).size());
    }
}
