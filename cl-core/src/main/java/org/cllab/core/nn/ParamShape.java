package org.cllab.core.nn;

import java.util.Arrays;

/**
 * The name and shape of one parameter tensor, as a network that owns no weights declares them (a hypernetwork's
 * target network: dense, convolutional or LoRA factors alike).
 *
 * @param name  unique within the network
 * @param shape tensor shape, every entry positive
 */
public record ParamShape(String name, long[] shape) {
    public ParamShape {
        shape = shape.clone();
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException(name + ": shape must be non-empty and positive, got "
                    + Arrays.toString(shape));
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of values. */
    public long length() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamShape p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
