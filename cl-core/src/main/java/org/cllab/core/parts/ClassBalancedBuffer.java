package org.cllab.core.parts;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * Class-balanced reservoir sampling (CBRS, Chrysakis &amp; Moens, ICML 2020). While the buffer has room every
 * sample is stored. Once it is full, a class is <em>full</em> when it is, or has ever been, a largest class in the
 * buffer (the paper's definition; "ever" matters: a class that was overtaken must not start storing every sample
 * again). A sample of a class that is not full replaces a random sample of a largest class; a sample of a full class
 * {@code c} replaces a random stored sample of {@code c} with probability {@code m_c / n_c} ({@code m_c} stored,
 * {@code n_c} seen of class {@code c}). The buffer tends to equal memory per class, and within a class it is a
 * reservoir sample.
 */
public final class ClassBalancedBuffer extends ReservoirBuffer {
    private final Map<Integer, Long> seenPerClass = new HashMap<>();
    private final TreeSet<Integer> fullClasses = new TreeSet<>();

    public ClassBalancedBuffer(int capacity, int dim, Rng rng) {
        super(capacity, dim, rng);
    }

    @Override
    public void offer(float[] x, int offset, int classLabel, int localLabel, int task) {
        seen++;
        long nc = seenPerClass.merge(classLabel, 1L, Long::sum);
        if (size < capacity) {
            put(size++, x, offset, classLabel, localLabel, task);
            return;
        }
        Map<Integer, Integer> stored = storedPerClass();
        int largest = stored.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        stored.forEach((c, m) -> {
            if (m == largest) {
                fullClasses.add(c);
            }
        });
        int mine = stored.getOrDefault(classLabel, 0);
        if (!fullClasses.contains(classLabel)) {
            // evict from one of the largest classes, chosen uniformly among ties
            int[] big = stored.entrySet().stream().filter(e -> e.getValue() == largest)
                    .mapToInt(Map.Entry::getKey).sorted().toArray();
            int victimClass = big[rng.nextInt(big.length)];
            put(randomSlotOf(victimClass, largest), x, offset, classLabel, localLabel, task);
        } else if (rng.nextDouble() * nc < mine) {
            put(randomSlotOf(classLabel, mine), x, offset, classLabel, localLabel, task);
        }
    }

    private Map<Integer, Integer> storedPerClass() {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < size; i++) {
            m.merge(classLabels[i], 1, Integer::sum);
        }
        return m;
    }

    private int randomSlotOf(int cls, int count) {
        int k = rng.nextInt(count);
        for (int i = 0; i < size; i++) {
            if (classLabels[i] == cls && k-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("class " + cls + " not in buffer");
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        super.save(prefix, out);
        int[] keys = seenPerClass.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        long[] vals = new long[keys.length];
        int[] lo = new int[keys.length];
        int[] hi = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            vals[i] = seenPerClass.get(keys[i]);
            lo[i] = (int) vals[i];
            hi[i] = (int) (vals[i] >>> 32);
        }
        out.putInts(prefix + "/seen_classes", keys).putInts(prefix + "/seen_counts_lo", lo)
                .putInts(prefix + "/seen_counts_hi", hi)
                .putInts(prefix + "/full_classes", fullClasses.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public void load(String prefix, StateReader in) {
        super.load(prefix, in);
        seenPerClass.clear();
        int[] keys = in.ints(prefix + "/seen_classes");
        int[] lo = in.ints(prefix + "/seen_counts_lo");
        int[] hi = in.ints(prefix + "/seen_counts_hi");
        for (int i = 0; i < keys.length; i++) {
            seenPerClass.put(keys[i], ((long) hi[i] << 32) | (lo[i] & 0xffffffffL));
        }
        fullClasses.clear();
        for (int c : in.ints(prefix + "/full_classes")) {
            fullClasses.add(c);
        }
    }
}
