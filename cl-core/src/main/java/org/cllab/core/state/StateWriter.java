package org.cllab.core.state;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes named entries of learner state. Names must be unique; prefix them ({@code "ewc/fisher"}) when a learner
 * is made of parts. Arrays keep their shape and data type (float or double) exactly.
 */
public final class StateWriter implements AutoCloseable {
    static final int MAGIC = 0x434c5354; // "CLST"
    static final int VERSION = 1;
    static final byte ARRAY = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte STRING = 4;
    static final byte INTS = 5;
    static final byte END = 0;

    private final DataOutputStream out;
    private final Set<String> names = new HashSet<>();
    private final List<String> nonFinite = new ArrayList<>();

    public StateWriter(OutputStream os) throws IOException {
        this.out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
    }

    private void name(byte tag, String name) throws IOException {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate state entry: " + name);
        }
        out.writeByte(tag);
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public StateWriter putArray(String name, INDArray arr) throws IOException {
        name(ARRAY, name);
        long[] shape = arr.shape();
        out.writeInt(shape.length);
        for (long s : shape) {
            out.writeLong(s);
        }
        INDArray c = arr.dup('c');
        if (arr.dataType() == DataType.DOUBLE) {
            out.writeByte(1);
            boolean finite = true;
            for (double v : c.data().asDouble()) {
                out.writeLong(Double.doubleToRawLongBits(v));
                finite &= Double.isFinite(v);
            }
            if (!finite) {
                nonFinite.add(name);
            }
        } else if (arr.dataType() == DataType.FLOAT) {
            out.writeByte(0);
            boolean finite = true;
            for (float v : c.data().asFloat()) {
                out.writeInt(Float.floatToRawIntBits(v));
                finite &= Float.isFinite(v);
            }
            if (!finite) {
                nonFinite.add(name);
            }
        } else {
            throw new IllegalArgumentException("state entry " + name + ": unsupported data type " + arr.dataType());
        }
        return this;
    }

    /** Names of the array entries written so far that hold a NaN or an infinity, in writing order. */
    public List<String> nonFiniteArrays() {
        return List.copyOf(nonFinite);
    }

    public StateWriter putLong(String name, long v) throws IOException {
        name(LONG, name);
        out.writeLong(v);
        return this;
    }

    public StateWriter putDouble(String name, double v) throws IOException {
        name(DOUBLE, name);
        out.writeLong(Double.doubleToRawLongBits(v));
        return this;
    }

    public StateWriter putString(String name, String v) throws IOException {
        name(STRING, name);
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
        return this;
    }

    public StateWriter putInts(String name, int[] v) throws IOException {
        name(INTS, name);
        out.writeInt(v.length);
        for (int x : v) {
            out.writeInt(x);
        }
        return this;
    }

    @Override
    public void close() throws IOException {
        out.writeByte(END);
        out.flush();
        out.close();
    }
}
