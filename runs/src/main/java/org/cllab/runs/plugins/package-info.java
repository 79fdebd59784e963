/**
 * The installed plug-ins: learner types, scenario types and datasets discovered with {@link java.util.ServiceLoader}
 * ({@link org.cllab.runs.plugins.Plugins}). Nothing in {@code runs} names a learner, scenario type or dataset: the
 * config schema, validation, documentation, sweep lists and report order are all built from what is registered.
 */
package org.cllab.runs.plugins;
