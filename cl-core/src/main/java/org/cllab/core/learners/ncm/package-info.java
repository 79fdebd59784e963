/**
 * The nearest-class-mean classifier: a streaming, boundary-free reference learner that cannot forget by construction
 * (each class is a running mean of its features; a later class never changes an earlier one's mean, although it can
 * take over inputs that used to be nearest to an earlier class). On a frozen encoder it
 * is the standard "no forgetting" baseline next to the discrete key-value bottleneck. Added only through the plug-in
 * route ({@link org.cllab.core.learners.ncm.NcmLearnerType}).
 */
package org.cllab.core.learners.ncm;
