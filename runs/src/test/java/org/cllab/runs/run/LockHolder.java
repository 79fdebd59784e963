package org.cllab.runs.run;

import java.nio.file.Path;

/** Test helper process: locks the run directory {@code args[0]}, prints {@code locked}, holds it until stdin ends. */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }
}
