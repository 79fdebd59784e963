package org.cllab.runs.sweep;

import java.util.Optional;

/**
 * Ends a worker JVM when the sweep process that started it is gone (killed with SIGKILL, say), so that a rerun of
 * the sweep never finds an orphaned worker still writing into a run directory. The local executor passes its pid as
 * {@code -Dcllab.parent.pid}; {@code Cl.main} calls {@link #startFromSystemProperty()}. The run itself is safe
 * either way (every file is written to a temporary file and renamed), and is resumed by the next sweep session.
 */
public final class ParentWatch {
    /** System property holding the pid of the sweep process. */
    public static final String PROPERTY = "cllab.parent.pid";
    /** Exit code of a worker ended because its sweep process died. */
    public static final int ORPHANED = 143;

    private ParentWatch() {
    }

    /** Starts the watch thread when {@value #PROPERTY} is set; does nothing otherwise. */
    public static void startFromSystemProperty() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(p.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty()) {
            Runtime.getRuntime().halt(ORPHANED);
        }
        Thread t = new Thread(() -> {
            parent.get().onExit().join();
            System.err.println("cl: sweep process " + pid + " is gone; stopping this worker (the sweep resumes it)");
            Runtime.getRuntime().halt(ORPHANED);
        }, "cllab-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
