package org.cllab.core.nn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Named trainable tensors of a model, each with its live gradient buffer of the same shape: what an optimiser
 * ({@link ParamOptimizer}), a regulariser hook or a checkpoint works on, whatever the model is (the flat-vector
 * {@link Mlp}, a hypernetwork's shared tensors plus a task embedding, a SameDiff graph's variables).
 *
 * <p>A set is <em>contiguous</em> when its tensors are consecutive views of one flat value vector and one flat
 * gradient vector ({@link Mlp}): {@link #values()} and {@link #gradients()} then return those live vectors, so a
 * penalty on the flat vector writes straight into the gradient. Otherwise they return new concatenated copies (in
 * tensor order) and {@link #addToGradients} scatters a flat vector back into the tensors.
 */
public final class ParamSet {
    /**
     * One trainable tensor.
     *
     * @param name     unique within the set (also its checkpoint key suffix)
     * @param value    live values (writing changes the model)
     * @param gradient live gradient of the same shape
     */
    public record Tensor(String name, INDArray value, INDArray gradient) {
        public Tensor {
            if (!Arrays.equals(value.shape(), gradient.shape())) {
                throw new IllegalArgumentException(name + ": value " + Arrays.toString(value.shape())
                        + " and gradient " + Arrays.toString(gradient.shape()) + " differ in shape");
            }
        }

        public long length() {
            return value.length();
        }

        /** The values as a 1-D view (for element-wise optimisers); fails if the tensor is not contiguous. */
        public INDArray flatValue() {
            return flat(value, name);
        }

        /** The gradient as a 1-D view. */
        public INDArray flatGradient() {
            return flat(gradient, name);
        }

        private static INDArray flat(INDArray a, String name) {
            if (a.rank() == 1) {
                return a;
            }
            if (a.ordering() != 'c' || a.elementWiseStride() != 1) {
                throw new IllegalStateException(name + ": tensor is not contiguous, cannot take a flat view");
            }
            return a.reshape(a.length());
        }
    }

    private final List<Tensor> tensors;
    private final INDArray flatValues;
    private final INDArray flatGradients;

    private ParamSet(List<Tensor> tensors, INDArray flatValues, INDArray flatGradients) {
        this.tensors = List.copyOf(tensors);
        Set<String> names = new HashSet<>();
        for (Tensor t : this.tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("duplicate parameter name " + t.name());
            }
        }
        this.flatValues = flatValues;
        this.flatGradients = flatGradients;
    }

    /** Independent tensors. */
    public static ParamSet of(List<Tensor> tensors) {
        return new ParamSet(tensors, null, null);
    }

    /**
     * Tensors that are, in order, consecutive views of {@code flatValues} / {@code flatGradients} (checked by
     * length only: the caller built the views).
     */
    public static ParamSet contiguous(INDArray flatValues, INDArray flatGradients, List<Tensor> tensors) {
        long n = tensors.stream().mapToLong(Tensor::length).sum();
        if (n != flatValues.length() || n != flatGradients.length()) {
            throw new IllegalArgumentException("tensors hold " + n + " values, the flat vectors "
                    + flatValues.length() + " and " + flatGradients.length());
        }
        return new ParamSet(tensors, flatValues, flatGradients);
    }

    /** Several sets side by side (not contiguous); names must stay unique. */
    public static ParamSet concat(ParamSet... sets) {
        List<Tensor> all = new ArrayList<>();
        for (ParamSet s : sets) {
            all.addAll(s.tensors);
        }
        return of(all);
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    public List<String> names() {
        return tensors.stream().map(Tensor::name).toList();
    }

    /** The tensor called {@code name}. */
    public Tensor tensor(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no parameter " + name + " in " + names());
    }

    public boolean isContiguous() {
        return flatValues != null;
    }

    /** Total number of values. */
    public long size() {
        return tensors.stream().mapToLong(Tensor::length).sum();
    }

    /** All values as one flat vector: the live vector of a contiguous set, else a new copy. */
    public INDArray values() {
        return isContiguous() ? flatValues : concatenated(false);
    }

    /** All gradients as one flat vector: the live vector of a contiguous set, else a new copy. */
    public INDArray gradients() {
        return isContiguous() ? flatGradients : concatenated(true);
    }

    private INDArray concatenated(boolean gradient) {
        INDArray out = Nd4j.create(tensors.get(0).value().dataType(), size());
        long off = 0;
        for (Tensor t : tensors) {
            INDArray src = gradient ? t.flatGradient() : t.flatValue();
            out.get(NDArrayIndex.interval(off, off + t.length())).assign(src);
            off += t.length();
        }
        return out;
    }

    /** Adds a flat vector laid out like {@link #values()} to the gradients. */
    public void addToGradients(INDArray flat) {
        if (flat.length() != size()) {
            throw new IllegalArgumentException("need " + size() + " values, got " + flat.length());
        }
        if (isContiguous()) {
            flatGradients.addi(flat.reshape(flatGradients.shape()));
            return;
        }
        long off = 0;
        for (Tensor t : tensors) {
            t.flatGradient().addi(flat.get(NDArrayIndex.interval(off, off + t.length())));
            off += t.length();
        }
    }

    /** A penalty on a flat parameter vector: adds its gradient to {@code gradient}, returns its value. */
    @FunctionalInterface
    public interface FlatPenalty {
        double addGradient(INDArray values, INDArray gradient);
    }

    /**
     * Applies a penalty written for a flat vector: on the live vectors of a contiguous set, else on a copy of the
     * values and a zero vector that is then added to the tensors' gradients.
     */
    public double addPenalty(FlatPenalty penalty) {
        if (isContiguous()) {
            return penalty.addGradient(flatValues, flatGradients);
        }
        INDArray g = Nd4j.zeros(tensors.get(0).gradient().dataType(), size());
        double v = penalty.addGradient(values(), g);
        addToGradients(g);
        return v;
    }

    /** Zeroes every gradient. */
    public void zeroGradients() {
        for (Tensor t : tensors) {
            t.gradient().assign(0);
        }
    }

    /** Copies the values of {@code other} (same names and lengths) into this set. */
    public void assignValues(ParamSet other) {
        for (Tensor t : tensors) {
            Tensor o = other.tensor(t.name());
            t.flatValue().assign(o.flatValue());
        }
    }

    /** Saves every tensor's values under {@code prefix/<name>}. */
    public void save(String prefix, StateWriter out) throws IOException {
        for (Tensor t : tensors) {
            out.putArray(prefix + "/" + t.name(), t.value());
        }
    }

    /** Restores every tensor's values from {@code prefix/<name>}, checking lengths. */
    public void load(String prefix, StateReader in) throws IOException {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Tensor t : tensors) {
                String key = prefix + "/" + t.name();
                if (!in.has(key)) {
                    throw new IOException("checkpoint lacks " + key);
                }
                INDArray a = in.array(key);
                if (a.length() != t.length()) {
                    throw new IOException("checkpoint " + key + " has " + a.length() + " values, the model "
                            + t.length());
                }
                t.flatValue().assign(a.castTo(t.value().dataType()).reshape(t.length()));
            }
        }
    }
}
