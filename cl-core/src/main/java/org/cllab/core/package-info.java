/**
 * CL-Lab core: the typed continual-learning API ({@link org.cllab.core.api}), task data
 * ({@link org.cllab.core.data}), metrics, seeded randomness, the neural-network building blocks and the
 * baseline learners. Nothing here knows about files, configs or command lines.
 */
package org.cllab.core;
