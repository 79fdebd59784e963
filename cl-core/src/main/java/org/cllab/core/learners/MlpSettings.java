package org.cllab.core.learners;

import org.cllab.core.nn.Activation;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.Settings;

/**
 * The MLP keys ({@code learner.hidden}, {@code learner.lr}, ...), one settings piece shared by every learner that
 * trains an MLP classifier: finetune, joint, EWC, online EWC, SI, ER, LwF and the nearest-class-mean baseline's
 * siblings. Learner types nest it in their own settings record.
 */
@Settings(prefix = "learner")
public record MlpSettings(
        @Setting(def = "[400, 400]", check = Check.POSITIVE, doc = "Hidden layer sizes of the MLP; [] gives a linear "
                + "classifier.") int[] hidden,
        @Setting(def = "relu", doc = "Activation of the hidden layers.") Activation activation,
        @Setting(def = "adam", doc = "Optimiser: Adam (PyTorch defaults beta1 0.9, beta2 0.999, eps 1e-8) or SGD "
                + "with optional momentum.") MlpLearnerSpec.OptimizerKind optimizer,
        @Setting(def = "0.001", check = Check.POSITIVE, doc = "Learning rate.") double lr,
        @Setting(def = "0.0", check = Check.FRACTION, doc = "SGD momentum (ignored by Adam).") double momentum,
        @Setting(def = "128", check = Check.POSITIVE, doc = "Minibatch size.") int batchSize,
        @Setting(def = "1", check = Check.POSITIVE, doc = "Passes over each task's training data (for `joint`: over "
                + "the union seen so far).") int epochs,
        @Setting(def = "true", doc = "Start every task with fresh optimiser state.") boolean resetOptimizer) {

    public MlpSettings {
        hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** The learner spec these keys describe. */
    public MlpLearnerSpec spec() {
        return new MlpLearnerSpec(hidden, activation, optimizer, lr, momentum, batchSize, epochs, resetOptimizer);
    }
}
