package org.cllab.core.loop;

import java.util.List;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.nn.ParamSet;

/**
 * The inner/outer step of first-order meta-learning on the {@link TaskLoop} (first-order MAML, Finn et al. 2017;
 * Nichol et al. 2018), for meta-learners such as FSCL's fast/slow weights or Meta-RTL. Each loop step splits its
 * minibatch into a support part (the first {@code supportSize} rows) and a query part (the rest): the fast model
 * starts from the slow model's values, takes {@code innerSteps} plain SGD steps of rate {@code innerLr} on the
 * support part (inner loop), and the query loss gradient at the adapted values becomes the slow model's gradient
 * (first-order outer gradient). The loop's hooks then see the slow parameters (a penalty regularises the
 * meta-parameters) and the slow model's optimiser applies the outer update; order generator, budget, listener and
 * checkpoints are the loop's as for any learner.
 *
 * <p>With {@code innerSteps = 0} and {@code supportSize = 0} it is exactly the slow model's own step.
 */
public final class InnerOuterStep implements TrainingStep {
    private final TrainingStep slow;
    private final TrainingStep fast;
    private final int innerSteps;
    private final double innerLr;
    private final int supportSize;

    /**
     * @param slow        the meta-parameters and their (outer) optimiser
     * @param fast        a model of the same architecture (its optimiser is not used)
     * @param innerSteps  SGD steps on the support part per outer step
     * @param innerLr     inner learning rate
     * @param supportSize rows of each minibatch used as the support part
     */
    public InnerOuterStep(TrainingStep slow, TrainingStep fast, int innerSteps, double innerLr, int supportSize) {
        if (innerSteps < 0 || supportSize < 0 || (innerSteps > 0) != (supportSize > 0)) {
            throw new IllegalArgumentException("inner steps and support size must both be positive, or both 0");
        }
        if (!slow.params().names().equals(fast.params().names())) {
            throw new IllegalArgumentException("slow and fast models differ: " + slow.params().names() + " vs "
                    + fast.params().names());
        }
        this.slow = slow;
        this.fast = fast;
        this.innerSteps = innerSteps;
        this.innerLr = innerLr;
        this.supportSize = supportSize;
    }

    @Override
    public ParamSet params() {
        return slow.params();
    }

    @Override
    public double computeGradients(Minibatch batch, OutputTerm outputTerm) {
        if (batch.size() <= supportSize) {
            throw new IllegalArgumentException("minibatch of " + batch.size() + " rows leaves no query part after "
                    + supportSize + " support rows");
        }
        ParamSet f = fast.params();
        f.assignValues(slow.params());
        if (innerSteps > 0) {
            Minibatch support = batch.head(supportSize);
            for (int k = 0; k < innerSteps; k++) {
                fast.computeGradients(support, outputTerm);
                for (ParamSet.Tensor t : f.tensors()) {
                    t.flatValue().subi(t.flatGradient().mul(innerLr));
                }
            }
        }
        Minibatch query = supportSize == 0 ? batch : batch.tail(supportSize);
        double loss = fast.computeGradients(query, outputTerm);
        List<ParamSet.Tensor> s = slow.params().tensors();
        for (int i = 0; i < s.size(); i++) {
            s.get(i).gradient().assign(f.tensors().get(i).gradient());
        }
        return loss;
    }

    @Override
    public void update() {
        slow.update();
    }

    @Override
    public void resetOptimizer() {
        slow.resetOptimizer();
    }
}
