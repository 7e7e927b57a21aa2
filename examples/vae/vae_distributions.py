#!/usr/bin/env python
"""The VAE of ``train_vae.py`` written with ``chainer.distributions``, the
way Chainer v7's own VAE example writes it: the encoder returns the
distribution q(z|x), the decoder returns p(x|z), the prior is a unit
Gaussian, and the loss is

    -ELBO = -E_q[log p(x|z)] + beta * KL(q(z|x) || p(z))

with ``q.sample(k)`` (reparameterized, so gradients reach the encoder) and
``chainer.kl_divergence`` (closed form for two Normals). It computes the
same quantity as ``train_vae.elbo_terms``; the test checks that.

    python examples/vae/vae_distributions.py [--iterations 200]
"""
import argparse

import numpy

import dynet as chainer
import dynet.distributions as D
import dynet.functions as F
import dynet.links as L


class Encoder(chainer.Chain):
    """x -> q(z|x), a diagonal Normal (one event of n_latent units)."""

    def __init__(self, n_in, n_latent, n_h):
        super().__init__()
        with self.init_scope():
            self.linear = L.Linear(n_in, n_h)
            self.mu = L.Linear(n_h, n_latent)
            self.ln_sigma = L.Linear(n_h, n_latent)

    def forward(self, x):
        h = F.tanh(self.linear(x))
        return D.Independent(D.Normal(loc=self.mu(h),
                                      log_scale=self.ln_sigma(h)))


class Decoder(chainer.Chain):
    """z -> p(x|z), independent Bernoulli pixels given by their logits."""

    def __init__(self, n_in, n_latent, n_h):
        super().__init__()
        with self.init_scope():
            self.linear = L.Linear(n_latent, n_h)
            self.output = L.Linear(n_h, n_in)

    def forward(self, z, inference=False):
        n_sample, batchsize, n_latent = z.shape
        h = F.tanh(self.linear(F.reshape(z, (-1, n_latent))))
        logits = F.reshape(self.output(h), (n_sample, batchsize, -1))
        return D.Independent(D.Bernoulli(logit=logits),
                             reinterpreted_batch_ndims=1)


class Prior(chainer.Link):
    """p(z) = N(0, I) over n_latent units."""

    def __init__(self, n_latent):
        super().__init__()
        self.loc = numpy.zeros(n_latent, numpy.float32)
        self.scale = numpy.ones(n_latent, numpy.float32)
        self.register_persistent('loc')
        self.register_persistent('scale')

    def forward(self):
        return D.Independent(D.Normal(self.loc, scale=self.scale),
                             reinterpreted_batch_ndims=1)


class AvgELBOLoss(chainer.Chain):
    """The negative ELBO averaged over the batch; reports rec and kl."""

    def __init__(self, encoder, decoder, prior, beta=1.0, k=1):
        super().__init__()
        self.beta = beta
        self.k = k
        with self.init_scope():
            self.encoder = encoder
            self.decoder = decoder
            self.prior = prior

    def forward(self, x):
        q_z = self.encoder(x)
        z = q_z.sample(self.k)                     # (k, batch, n_latent)
        p_x = self.decoder(z)
        p_z = self.prior()
        reconstr = F.mean(p_x.log_prob(
            F.broadcast_to(x[None, :], (self.k,) + x.shape)))
        kl_penalty = F.mean(chainer.kl_divergence(q_z, p_z))
        loss = -(reconstr - self.beta * kl_penalty)
        chainer.report({'loss': loss, 'reconstr': reconstr,
                        'kl_penalty': kl_penalty}, self)
        return loss


def make_model(n_in=784, n_latent=20, n_h=500, beta=1.0, k=1):
    return AvgELBOLoss(Encoder(n_in, n_latent, n_h),
                       Decoder(n_in, n_latent, n_h), Prior(n_latent),
                       beta=beta, k=k)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--iterations', type=int, default=200)
    parser.add_argument('--batchsize', type=int, default=100)
    parser.add_argument('--dim-z', type=int, default=20)
    parser.add_argument('--dim-h', type=int, default=500)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    train, test = chainer.datasets.get_mnist(withlabel=False, sample=True)
    model = make_model(n_latent=args.dim_z, n_h=args.dim_h)
    optimizer = chainer.optimizers.Adam().setup(model)
    iterator = chainer.iterators.SerialIterator(train, args.batchsize)
    for iteration in range(1, args.iterations + 1):
        x = chainer.dataset.concat_examples(iterator.next())
        optimizer.update(model, x)
        if iteration % 50 == 0 or iteration == args.iterations:
            with chainer.no_backprop_mode():
                loss = model(numpy.asarray(test[:500]))
            print('iteration {:4d}  test -ELBO {:.2f}'.format(
                iteration, float(loss.array)))
    return float(loss.array)


if __name__ == '__main__':
    main()
