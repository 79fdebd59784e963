package org.cllab.runs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.cllab.runs.run.RunLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** What a run may change in its JVM is put back by {@link JvmState#restore()}; the worker's protocol and errors. */
class JvmStateTest {
    @TempDir
    Path tmp;

    @Test
    void restorePutsBackPropertiesDataTypesAndAppenders() {
        DataType dt = Nd4j.dataType();
        DataType ft = Nd4j.defaultFloatingPointType();
        System.setProperty("cllab.test.changed", "before");
        JvmState clean = JvmState.capture();
        int appenders = appenderCount();

        System.setProperty("cllab.test.added", "x");
        System.setProperty("cllab.test.changed", "after");
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        RunLog.attach(tmp.resolve("run.log")); // never closed, like a run that died half-way
        assertTrue(appenderCount() > appenders);

        clean.restore();
        assertNull(System.getProperty("cllab.test.added"));
        assertEquals("before", System.getProperty("cllab.test.changed"));
        assertEquals(dt, Nd4j.dataType());
        assertEquals(ft, Nd4j.defaultFloatingPointType());
        assertEquals(appenders, appenderCount(), "the leftover run.log appender is gone");
        System.clearProperty("cllab.test.changed");
    }

    private static int appenderCount() {
        return ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppenders().size();
    }

    @Test
    void protocolLinesParseAndOtherLinesDoNot() {
        RunWorker.Event s = RunWorker.Event.parse("cl-worker: start /a/b c");
        assertTrue(s.start());
        assertEquals(Path.of("/a/b c"), s.runDir());
        RunWorker.Event e = RunWorker.Event.parse("cl-worker: end 2 /a/b");
        assertFalse(e.start());
        assertEquals(2, e.exitCode());
        assertNull(RunWorker.Event.parse("OpenMP warning: something"));
        assertNull(RunWorker.Event.parse("cl-worker: end x /a"));
    }

    @Test
    void theLoopStopsAtTheFirstRunThatFailsAndReportsItInTheRunsFiles() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "learner: {type: nope}\n");
        String in = RunWorker.line(tmp.resolve("r1"), bad) + "\n" + RunWorker.line(tmp.resolve("r2"), bad) + "\n";
        ByteArrayOutputStream protocol = new ByteArrayOutputStream();
        int code = RunWorker.loop(new BufferedReader(new StringReader(in)),
                new PrintStream(protocol, true, StandardCharsets.UTF_8), 0);
        assertEquals(2, code, "bad input: exit code 2, as cl run");
        String p = protocol.toString(StandardCharsets.UTF_8);
        assertEquals("cl-worker: start " + tmp.resolve("r1") + "\ncl-worker: end 2 " + tmp.resolve("r1") + "\n", p);
        String err = Files.readString(tmp.resolve("r1/worker.err"));
        assertTrue(err.startsWith("cl-worker: run 1 of JVM " + ProcessHandle.current().pid()), err);
        assertTrue(err.contains("learner.type"), err);
        assertFalse(Files.exists(tmp.resolve("r2")), "the loop ended before the second run");

        ByteArrayOutputStream p2 = new ByteArrayOutputStream();
        assertEquals(2, RunWorker.loop(new BufferedReader(new StringReader("no tab here\n")),
                new PrintStream(p2, true, StandardCharsets.UTF_8), 0));
        assertTrue(p2.toString(StandardCharsets.UTF_8).contains("bad input line"));
    }
}
