package org.cllab.core.learners;

import java.util.Arrays;
import java.util.Locale;
import org.cllab.core.nn.Activation;

/**
 * Immutable hyper-parameters of an MLP-based learner.
 *
 * @param hidden                hidden layer sizes (may be empty: a linear classifier)
 * @param activation            hidden activation
 * @param optimizer             optimiser kind
 * @param lr                    learning rate
 * @param momentum              SGD momentum (ignored by Adam)
 * @param batchSize             minibatch size
 * @param epochs                passes over the training data of each task
 * @param resetOptimizerPerTask whether every task starts with fresh optimiser state
 */
public record MlpLearnerSpec(int[] hidden, Activation activation, OptimizerKind optimizer, double lr, double momentum,
                             int batchSize, int epochs, boolean resetOptimizerPerTask) {
    public MlpLearnerSpec {
        hidden = hidden.clone();
        if (Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden sizes must be positive: " + Arrays.toString(hidden));
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("lr must be > 0: " + lr);
        }
        if (batchSize <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("batch size and epochs must be positive");
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Layer sizes {@code [in, hidden..., out]}. */
    public int[] layerSizes(int in, int out) {
        int[] s = new int[hidden.length + 2];
        s[0] = in;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = out;
        return s;
    }

    /** Optimiser kinds. */
    public enum OptimizerKind {
        ADAM, SGD;

        public static OptimizerKind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown optimizer '" + s + "' (allowed: adam, sgd)");
            }
        }
    }
}
