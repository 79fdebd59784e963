/**
 * D2NWG (Soro et al., "Diffusion-Based Neural Network Weights Generation", ICLR 2025), our reconstruction: a model zoo
 * of classification heads on a frozen encoder ({@link org.cllab.hypernets.generators.d2nwg.Zoo}), a weight VAE, a set
 * encoder of a few samples per class and a latent DDPM sampled by DDIM
 * ({@link org.cllab.hypernets.generators.d2nwg.Generator}), the offline experiment of the results page
 * ({@link org.cllab.hypernets.generators.d2nwg.ZooExperiment}) and the continual learner {@code d2nwg}.
 * See {@code docs/d2nwg.md}.
 */
package org.cllab.hypernets.generators.d2nwg;
