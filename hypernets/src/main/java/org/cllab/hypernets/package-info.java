/**
 * Hypernetworks and weight generators (HNET, the RNN hypernetwork, D2NWG, ICM-LoRA). The learners arrive with
 * their issues; the module exists so that the build layout is fixed from the start.
 */
package org.cllab.hypernets;
