package org.cllab.hypernets.generators.d2nwg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The row-chunk layout of the VAE input and the latent scale factor of {@link Generator}. */
class GeneratorLayoutTest {
    static GeneratorSettings settings(int latent, boolean scale, boolean rows) {
        return new GeneratorSettings(latent, 8, 1e-6, 2, 4, 4, 8, 4, 20, 3, 4, 1e-3, 0.9, 5, 2, 3, scale, rows);
    }

    @Test
    void rowChunksHoldEachClassRowWithItsBias() {
        int classes = 3;
        int f = 4;
        Generator g = new Generator(settings(6, true, true), classes, f, Head.segments(classes, f), 1);
        assertEquals(f + 1, g.chunk);
        assertEquals(2, g.chunkLatent);
        double[] x = new double[Head.size(classes, f)];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        double[] c = g.toChunks(x);
        // row 1: W[1][0..3] = x[4..7], then b[1] = x[12 + 1]
        assertArrayEquals(new double[] {4, 5, 6, 7, 13}, java.util.Arrays.copyOfRange(c, 5, 10));
        assertArrayEquals(x, g.fromChunks(c));
        assertEquals(6, g.encode(x).length);
        assertEquals(x.length, g.decode(new double[6]).length);
    }

    @Test
    void rowChunksNeedALatentThatTheClassesDivide() {
        assertThrows(IllegalArgumentException.class,
                () -> new Generator(settings(7, true, true), 3, 4, Head.segments(3, 4), 1));
    }

    @Test
    void latentsAreScaledToUnitSdAndSamplesHaveTheHeadsShape() {
        int classes = 2;
        int f = 3;
        for (boolean rows : new boolean[] {false, true}) {
            Generator g = new Generator(settings(4, true, rows), classes, f, Head.segments(classes, f), 2);
            SplittableRandom r = new SplittableRandom(3);
            List<Generator.Example> ex = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                double[] w = WeightVae.gaussian(Head.size(classes, f), r);
                for (int j = 0; j < w.length; j++) {
                    w[j] *= 5;
                }
                ex.add(new Generator.Example(w, i % 2));
            }
            Generator.SupportSource src = (task, shots, rr) -> WeightVae.gaussian(classes * shots * f, rr);
            g.fit(ex, src, r);
            double[][] z = new double[ex.size()][];
            double m = 0;
            double q = 0;
            int n = 0;
            for (int i = 0; i < z.length; i++) {
                z[i] = g.encode(g.norm.apply(ex.get(i).weights()));
                for (double v : z[i]) {
                    m += v;
                    q += v * v;
                    n++;
                }
            }
            m /= n;
            double sd = Math.sqrt(q / n - m * m);
            assertEquals(1.0, sd * g.latentScale[0], 1e-9, "scaled latents have unit sd");
            List<double[]> s = g.sample(src.support(0, 2, r), 2, r);
            assertEquals(2, s.size());
            assertEquals(Head.size(classes, f), s.get(0).length);
            assertTrue(java.util.Arrays.stream(s.get(0)).allMatch(Double::isFinite));
        }
    }
}
