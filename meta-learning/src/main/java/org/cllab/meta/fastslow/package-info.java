/**
 * Few-shot continual learning with fast and slow weights (issue 12; Wang et al., arXiv 2104.09034, our
 * reconstruction): {@link org.cllab.meta.fastslow.FastSlowLearner}, its penalty and its plug-ins.
 */
package org.cllab.meta.fastslow;
