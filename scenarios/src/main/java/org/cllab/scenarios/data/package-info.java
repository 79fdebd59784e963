/**
 * Image data sets for continual-learning scenarios: readers for IDX (MNIST, Fashion-MNIST) and
 * CIFAR-10 binary files, and a small MNIST subset bundled on the classpath so that nothing is ever
 * downloaded at run time.
 */
package org.cllab.scenarios.data;
