/**
 * Plug-in contract: how a learner declares itself, next to its code, so that the runner can discover it.
 *
 * <p>A learner type ({@link org.cllab.core.spi.LearnerType}) has a name, a one-paragraph doc, a typed settings record
 * whose components are its config keys ({@link org.cllab.core.spi.Setting}, grouped in pieces under a key prefix by
 * {@link org.cllab.core.spi.Settings}; shared pieces such as the MLP keys are reused by composition), the checks it
 * needs against the scenario ({@link org.cllab.core.spi.LearnerType#check}), and a factory. A module publishes its
 * types through a {@link org.cllab.core.spi.LearnerModule} listed in
 * {@code META-INF/services/org.cllab.core.spi.LearnerModule}; the runner finds them with
 * {@link java.util.ServiceLoader} and builds the config schema, validation, documentation and sweep lists from them.
 *
 * <p>Modelled on Tribuo's {@code @Config} fields and DJL's engine discovery; see {@code docs/architecture.md}, "How to
 * add a learner".
 */
package org.cllab.core.spi;
