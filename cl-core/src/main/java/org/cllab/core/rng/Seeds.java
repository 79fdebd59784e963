package org.cllab.core.rng;

import java.nio.charset.StandardCharsets;

/**
 * Derivation of independent seeds from a root seed and a component path.
 *
 * <p>The split is documented so that results can be reproduced outside this code base:
 * {@code derive(root, "a/b") = mix(root ^ fnv1a64("a/b"))} where {@code mix} is the SplitMix64 finaliser.
 * The run seed yields the stream seed ({@code "stream"}) and the learner seed ({@code "learner"});
 * components derive their own seeds from those (for example {@code "init"}, {@code "order/task-3"}).
 */
public final class Seeds {
    private Seeds() {
    }

    /** Seed for the component named {@code component} under {@code root}. */
    public static long derive(long root, String component) {
        return mix(root ^ fnv1a64(component));
    }

    /** Seed for the component named {@code component} and index {@code index} under {@code root}. */
    public static long derive(long root, String component, int index) {
        return derive(root, component + "/" + index);
    }

    /** SplitMix64 finaliser (Steele, Lea, Flood 2014). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a hash of the UTF-8 bytes of {@code s}. */
    public static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
