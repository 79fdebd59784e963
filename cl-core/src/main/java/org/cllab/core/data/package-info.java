/**
 * Task data as the core sees it: {@link org.cllab.core.data.TaskData} (samples with a class label and a
 * label local to their task) and the batches cut from it. Datasets and scenarios that produce task data live in
 * the {@code scenarios} module.
 */
package org.cllab.core.data;
