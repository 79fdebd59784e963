package org.cllab.meta.rtl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of the hand-derived policy gradients: the REINFORCE surrogate (log-probabilities of fixed
 * sampled sources, moving-average baseline, entropy bonus) back-propagated through the LSTM over a window of four
 * meta-iterations with a non-zero state at the window's start (so the recurrent path is exercised), and through the
 * memoryless MLP policy; plus the surrogate's logit gradient alone.
 */
class PolicyGradientTest {
    private static final int S = 4;

    private static SourcePolicy policy(String kind) {
        Rng rng = new Rng(11);
        Reinforce r = new Reinforce(3, 0.05, 0.9);
        SourcePolicy p = kind.equals("lstm") ? new LstmPolicy(S, 5, 0.05, r, 4, rng) : new MlpPolicy(S, 5, 0.05, r, rng);
        // six updates: the window fills (4 inputs) and two inputs are folded into the LSTM state
        for (int it = 0; it < 6; it++) {
            double[] rewards = new double[S];
            for (int i = 0; i < S; i++) {
                rewards[i] = rng.nextGaussian();
            }
            p.update(rewards, rng);
        }
        // larger weights than after six small steps, so that gates are away from their linear regime
        for (int i = 0; i < p.params().length; i++) {
            p.params()[i] += 0.3 * rng.nextGaussian();
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "mlp"})
    void surrogateGradientThroughThePolicyMatchesFiniteDifferences(String kind) {
        SourcePolicy p = policy(kind);
        if (kind.equals("lstm")) {
            assertTrue(p.window().size() == 4, "window " + p.window().size());
        }
        int[] actions = {1, 3, 1};
        double[] adv = {0.7, -1.2, 0.4};
        double beta = 0.05;
        Supplier<Double> loss = () -> Reinforce.surrogate(p.logits(), actions, adv, beta);
        p.gradientOf(Reinforce.surrogateGradient(p.logits(), actions, adv, beta));
        double[] analytic = p.gradient().clone();
        double maxRel = 0;
        double eps = 1e-5;
        for (int i = 0; i < analytic.length; i++) {
            double orig = p.params()[i];
            p.params()[i] = orig + eps;
            double up = loss.get();
            p.params()[i] = orig - eps;
            double down = loss.get();
            p.params()[i] = orig;
            double numeric = (up - down) / (2 * eps);
            double rel = Math.abs(numeric - analytic[i]) / Math.max(1e-6, Math.abs(numeric) + Math.abs(analytic[i]));
            maxRel = Math.max(maxRel, rel);
        }
        assertTrue(maxRel < 1e-5, kind + ": max relative error " + maxRel + " over " + analytic.length + " params");
    }

    @Test
    void surrogateLogitGradientMatchesFiniteDifferences() {
        double[] logits = {0.3, -1.1, 0.8, 0.0, 2.0};
        int[] actions = {2, 2, 4, 0};
        double[] adv = {1.0, 0.5, -0.8, 0.2};
        double[] g = Reinforce.surrogateGradient(logits, actions, adv, 0.1);
        for (int j = 0; j < logits.length; j++) {
            double[] up = logits.clone();
            double[] down = logits.clone();
            up[j] += 1e-6;
            down[j] -= 1e-6;
            double numeric = (Reinforce.surrogate(up, actions, adv, 0.1)
                    - Reinforce.surrogate(down, actions, adv, 0.1)) / 2e-6;
            assertTrue(Math.abs(numeric - g[j]) < 1e-7, "logit " + j + ": " + numeric + " vs " + g[j]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "mlp"})
    void learnsToPreferTheConsistentlyRewardedSources(String kind) {
        Rng rng = new Rng(5);
        Reinforce r = new Reinforce(4, 0.01, 0.9);
        SourcePolicy p = kind.equals("lstm") ? new LstmPolicy(S, 8, 0.02, r, 4, rng) : new MlpPolicy(S, 8, 0.02, r, rng);
        double[] w0 = p.weights();
        for (int it = 0; it < 300; it++) {
            p.update(new double[] {0.02, 0.01, 0.0, -0.03}, rng);
        }
        double[] w = p.weights();
        assertTrue(Math.abs(w0[0] - 0.25) < 0.05, "initial weights near uniform: " + w0[0]);
        assertTrue(w[0] > w[1] && w[1] > w[3] && w[2] > w[3] && w[0] > 0.4,
                kind + ": weights " + java.util.Arrays.toString(w));
    }
}
