/**
 * Learner state for checkpoints: a flat, named collection of arrays and scalars written in a small binary
 * format ({@code CLST}, version 1) that stores floats bit for bit, so that a resumed run continues exactly.
 */
package org.cllab.core.state;
