package org.cllab.core.state;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads state written by {@link StateWriter}; every entry is loaded eagerly and looked up by name. */
public final class StateReader {
    private final Map<String, Object> entries = new HashMap<>();

    public StateReader(InputStream is) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != StateWriter.MAGIC) {
                throw new IOException("not a CL-Lab state file (bad magic)");
            }
            int version = in.readInt();
            if (version != StateWriter.VERSION) {
                throw new IOException("unsupported state version " + version);
            }
            while (true) {
                byte tag = in.readByte();
                if (tag == StateWriter.END) {
                    break;
                }
                byte[] nb = new byte[in.readInt()];
                in.readFully(nb);
                String name = new String(nb, StandardCharsets.UTF_8);
                entries.put(name, switch (tag) {
                    case StateWriter.ARRAY -> readArray(in);
                    case StateWriter.LONG -> in.readLong();
                    case StateWriter.DOUBLE -> Double.longBitsToDouble(in.readLong());
                    case StateWriter.STRING -> {
                        byte[] b = new byte[in.readInt()];
                        in.readFully(b);
                        yield new String(b, StandardCharsets.UTF_8);
                    }
                    case StateWriter.INTS -> {
                        int[] v = new int[in.readInt()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = in.readInt();
                        }
                        yield v;
                    }
                    default -> throw new IOException("corrupt state file: unknown tag " + tag + " at " + name);
                });
            }
        }
    }

    private static INDArray readArray(DataInputStream in) throws IOException {
        int rank = in.readInt();
        long[] shape = new long[rank];
        long n = 1;
        if (rank < 0 || rank > 32) {
            throw new IOException("corrupt state file: array rank " + rank);
        }
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
            if (shape[i] < 0 || (shape[i] > 0 && n > (Integer.MAX_VALUE - 8) / shape[i])) {
                throw new IOException("corrupt state file: array shape " + java.util.Arrays.toString(shape));
            }
            n *= shape[i];
        }
        byte type = in.readByte();
        if (type == 1) {
            double[] d = new double[(int) n];
            for (int i = 0; i < d.length; i++) {
                d[i] = Double.longBitsToDouble(in.readLong());
            }
            return Nd4j.create(d, shape, DataType.DOUBLE);
        }
        float[] f = new float[(int) n];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(in.readInt());
        }
        return Nd4j.create(f, shape, DataType.FLOAT);
    }

    private <T> T get(String name, Class<T> type) {
        Object o = entries.get(name);
        if (o == null) {
            throw new IllegalStateException("checkpoint has no entry '" + name + "'");
        }
        if (!type.isInstance(o)) {
            throw new IllegalStateException("checkpoint entry '" + name + "' is a " + o.getClass().getSimpleName()
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(o);
    }

    public INDArray array(String name) {
        return get(name, INDArray.class);
    }

    public long getLong(String name) {
        return get(name, Long.class);
    }

    public double getDouble(String name) {
        return get(name, Double.class);
    }

    public String getString(String name) {
        return get(name, String.class);
    }

    public int[] ints(String name) {
        return get(name, int[].class).clone();
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    public Set<String> names() {
        return Set.copyOf(entries.keySet());
    }
}
