package org.cllab.runs.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsers of the SLURM tools' output, on text captured from SLURM 22.05 (Debian 12). */
class SlurmOutputTest {
    @Test
    void sbatchParsableIsTheJobIdWithOptionalCluster() {
        assertEquals(17, SlurmOutput.parseSbatch("17\n"));
        assertEquals(17, SlurmOutput.parseSbatch("17;cllab\n"));
        SlurmException e = assertThrows(SlurmException.class,
                () -> SlurmOutput.parseSbatch("sbatch: error: Batch job submission failed\n"));
        assertTrue(e.getMessage().contains("not a job id"), e.getMessage());
    }

    @Test
    void squeueRowsAreOnePerArrayTask() {
        String out = """
                5|5|1|PENDING|JobArrayTaskLimit|cl-sweep-ab12
                5|5|2|PENDING|JobArrayTaskLimit|cl-sweep-ab12
                6|5|0|RUNNING|None|cl-sweep-ab12
                9|9|N/A|PENDING|Priority|a|b
                """;
        List<SlurmTask> t = SlurmOutput.parseSqueue(out);
        assertEquals(4, t.size());
        assertEquals(new SlurmTask(5, 5, 1, JobState.PENDING, SlurmTask.NO_EXIT_CODE, 0, "JobArrayTaskLimit",
                "cl-sweep-ab12", "squeue"), t.get(0));
        assertEquals("a|b", t.get(3).name(), "a name may hold the separator");
        assertEquals(6, t.get(2).jobId());
        assertEquals(0, t.get(2).arrayTaskId());
        assertEquals(JobState.RUNNING, t.get(2).state());
        assertEquals(SlurmTask.NOT_ARRAY, t.get(3).arrayTaskId());
        assertEquals("9", t.get(3).label());
        assertEquals("5_0", t.get(2).label());
    }

    @Test
    void scontrolRecordsCarryExitCodesAndExpandPendingRanges() {
        String out = "JobId=5 ArrayJobId=5 ArrayTaskId=1-2%1 ArrayTaskThrottle=1 JobName=wrap UserId=root(0) "
                + "GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) QOS=(null) "
                + "JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 "
                + "ExitCode=0:0 RunTime=00:00:00 TRES=cpu=1,mem=24105M,node=1,billing=1 ReqB:S:C:T=0:0:*:* "
                + "Command=(null) WorkDir=/tmp Power=\n"
                + "JobId=4 ArrayJobId=1 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=t.sh UserId=root(0) "
                + "GroupId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 "
                + "BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:01 AllocNode:Sid=localhost:18881 "
                + "CPUs/Task=1 StdOut=/tmp/t-1_2.out Power=\n"
                + "JobId=8 JobName=plain JobState=CANCELLED Reason=None ExitCode=0:15\n";
        List<SlurmTask> t = SlurmOutput.parseScontrol(out);
        assertEquals(4, t.size());
        assertEquals(List.of(1, 2), List.of(t.get(0).arrayTaskId(), t.get(1).arrayTaskId()));
        assertEquals(JobState.PENDING, t.get(1).state());
        assertEquals(5, t.get(1).jobId());
        SlurmTask failed = t.get(2);
        assertEquals(new SlurmTask(4, 1, 2, JobState.FAILED, 3, 0, "NonZeroExitCode", "t.sh", "scontrol"), failed);
        SlurmTask plain = t.get(3);
        assertEquals(SlurmTask.NOT_ARRAY, plain.arrayTaskId());
        assertEquals(8, plain.arrayJobId());
        assertEquals(15, plain.signal());
        assertTrue(!plain.succeeded());
    }

    @Test
    void keyValuesSplitOnlyAtKeys() {
        Map<String, String> kv = SlurmOutput.keyValues("JobId=4 TRES=cpu=1,node=1 ReservationName= "
                + "Command=/a b/run.sh WorkDir=/tmp Power=");
        assertEquals("4", kv.get("JobId"));
        assertEquals("cpu=1,node=1", kv.get("TRES"));
        assertEquals("", kv.get("ReservationName"));
        assertEquals("/a b/run.sh", kv.get("Command"));
        assertEquals("", kv.get("Power"));
    }

    @Test
    void sacctRowsIncludingPendingRangesAndCancelledBy() {
        String out = """
                7|5_0|COMPLETED|0:0|None|wrap
                5|5_[1-2%1]|PENDING|0:0|JobArrayTaskLimit|wrap
                8|5_3|CANCELLED by 0|0:15|None|wrap
                9|9|FAILED|2:0|NonZeroExitCode|plain
                """;
        List<SlurmTask> t = SlurmOutput.parseSacct(out);
        assertEquals(5, t.size());
        assertEquals(new SlurmTask(7, 5, 0, JobState.COMPLETED, 0, 0, "None", "wrap", "sacct"), t.get(0));
        assertEquals(List.of(1, 2), List.of(t.get(1).arrayTaskId(), t.get(2).arrayTaskId()));
        assertEquals(JobState.CANCELLED, t.get(3).state());
        assertEquals(new SlurmTask(9, 9, SlurmTask.NOT_ARRAY, JobState.FAILED, 2, 0, "NonZeroExitCode", "plain",
                "sacct"),
                t.get(4));
    }

    @Test
    void jobCompKeepsTheLastLineOfEachTaskOfTheArray() {
        String file = """
                JobId=2 UserId=root(0) Name=t.sh JobState=COMPLETED Partition=debug ArrayJobId=1 ArrayTaskId=0 DerivedExitCode=0:0 ExitCode=0:0
                JobId=4 UserId=root(0) Name=t.sh JobState=FAILED Partition=debug ArrayJobId=1 ArrayTaskId=2 DerivedExitCode=0:0 ExitCode=3:0
                JobId=12 UserId=root(0) Name=other JobState=COMPLETED Partition=debug ArrayJobId=11 ArrayTaskId=1 DerivedExitCode=0:0 ExitCode=0:0
                JobId=4 UserId=root(0) Name=t.sh JobState=COMPLETED Partition=debug ArrayJobId=1 ArrayTaskId=2 DerivedExitCode=0:0 ExitCode=0:0
                JobId=13 UserId=root(0) Name=plain JobState=TIMEOUT Partition=debug DerivedExitCode=0:0 ExitCode=0:1
                """;
        List<SlurmTask> t = SlurmOutput.parseJobComp(file, 1);
        assertEquals(2, t.size(), "job 11 and 13 are not array 1's: " + t);
        assertEquals(0, t.get(0).arrayTaskId());
        assertEquals(JobState.COMPLETED, t.get(1).state(), "the later line wins");
        assertEquals(List.of(JobState.COMPLETED), SlurmOutput.parseJobComp(file, 11).stream()
                .map(SlurmTask::state).toList());
        assertEquals(0, SlurmOutput.parseJobComp(file, 3).size());
        assertEquals(List.of(new SlurmTask(13, 13, SlurmTask.NOT_ARRAY, JobState.TIMEOUT, 0, 1, "", "plain",
                "jobcomp")),
                SlurmOutput.parseJobComp(file, 13));
    }

    @Test
    void arrayIndexExpressionsRoundTrip() {
        assertEquals(List.of(0, 1, 2, 3), SlurmOutput.expandIndices("0-3%2"));
        assertEquals(List.of(1, 4, 5), SlurmOutput.expandIndices("1,4-5"));
        assertEquals(List.of(0, 3, 6), SlurmOutput.expandIndices("0-7:3"));
        assertEquals("0-3,5,7-8", SlurmOutput.compressIndices(List.of(8, 0, 1, 2, 3, 5, 7, 3)));
        assertEquals("4", SlurmOutput.compressIndices(List.of(4)));
        assertThrows(SlurmException.class, () -> SlurmOutput.expandIndices("3-1"));
        assertThrows(SlurmException.class, () -> SlurmOutput.expandIndices("a"));
    }

    @Test
    void showConfigAndExitCodes() {
        Map<String, String> c = SlurmOutput.parseConfig("""
                Configuration data as of 2026-11-26T17:40:05
                AccountingStorageType   = accounting_storage/none
                JobCompLoc              = /tmp/cllab-slurm/log/jobcomp.txt
                MinJobAge               = 300 sec
                """);
        assertEquals("accounting_storage/none", c.get("AccountingStorageType"));
        assertEquals("/tmp/cllab-slurm/log/jobcomp.txt", c.get("JobCompLoc"));
        assertEquals(3, c.size());
        assertEquals(List.of(3, 0), List.of(SlurmOutput.parseExit("3:0")[0], SlurmOutput.parseExit("3:0")[1]));
        assertEquals(SlurmTask.NO_EXIT_CODE, SlurmOutput.parseExit("N/A")[0]);
    }

    @Test
    void statesParseAsTheToolsPrintThem() {
        assertEquals(JobState.CANCELLED, JobState.parse("CANCELLED by 0"));
        assertEquals(JobState.CANCELLED, JobState.parse("CANCELLED+"));
        assertEquals(JobState.OUT_OF_MEMORY, JobState.parse("OUT_OF_MEMORY"));
        assertEquals(JobState.UNKNOWN, JobState.parse("SOMETHING_NEW"));
        assertTrue(JobState.TIMEOUT.isFinal());
        assertTrue(!JobState.COMPLETING.isFinal());
        assertTrue(JobState.PENDING.isQueued());
    }

    @Test
    void toolErrorsReduceToTheirCause() {
        assertEquals("sbatch: fatal: Could not establish a configuration source", SlurmClient.firstMeaningfulLine("""
                sbatch: error: resolve_ctls_from_dns_srv: res_nsearch error: Unknown host
                sbatch: error: fetch_config: DNS SRV lookup failed
                sbatch: fatal: Could not establish a configuration source
                """));
        assertEquals("one; two", new SlurmException("one\n  two\n").getMessage());
    }
}
