/**
 * The {@code few-shot} scenario type: N-way K-shot tasks over rotated MNIST and Fashion-MNIST pseudo-classes, with
 * a held-out pool for the few-shot probe (issue 12; our reconstruction of the stream of arXiv 2104.09034).
 */
package org.cllab.scenarios.fewshot;
