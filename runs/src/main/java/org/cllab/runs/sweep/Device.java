package org.cllab.runs.sweep;

/**
 * A device the local executor can put a run on: the CPU, or one GPU by its CUDA index.
 *
 * @param id {@code cpu} or the GPU index as a string ({@code "0"}, {@code "1"}, ...)
 */
public record Device(String id) {
    /** The CPU (shared by any number of runs). */
    public static final Device CPU = new Device("cpu");

    public Device {
        if (!id.equals("cpu") && !id.matches("\\d+")) {
            throw new IllegalArgumentException("device must be cpu or a GPU index: " + id);
        }
    }

    /** The GPU with CUDA index {@code index}. */
    public static Device gpu(int index) {
        return new Device(Integer.toString(index));
    }

    public boolean isGpu() {
        return !id.equals("cpu");
    }

    /**
     * The value of {@code CUDA_VISIBLE_DEVICES} for a run on this device: the GPU index, or the empty string for
     * the CPU (hides every GPU from the run).
     */
    public String cudaVisibleDevices() {
        return isGpu() ? id : "";
    }

    @Override
    public String toString() {
        return isGpu() ? "gpu" + id : id;
    }
}
