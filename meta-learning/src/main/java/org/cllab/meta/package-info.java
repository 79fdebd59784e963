/**
 * Meta-learning learners (fast/slow weights, Meta-RTL). The learners arrive with their issues; the module exists
 * so that the build layout is fixed from the start.
 */
package org.cllab.meta;
