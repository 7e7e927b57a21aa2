#!/usr/bin/env python
"""A variational autoencoder (VAE) on MNIST, trained with the Trainer.

The encoder is an MLP that maps a digit ``x`` (784 pixels in [0, 1]) to
the mean ``mu`` and the log-variance ``ln_var`` of a diagonal Gaussian
``q(z|x)``; a latent code is drawn with the reparameterization trick,
``z = mu + exp(ln_var / 2) * eps`` with ``eps ~ N(0, I)``
(``F.gaussian``), so the sample is a differentiable function of ``mu``
and ``ln_var``. The decoder is an MLP that maps ``z`` to the logits of
784 independent Bernoulli pixels.

Per digit the loss is the negative ELBO,

    -ELBO = E_q[-log p(x|z)] + beta * KL(q(z|x) || N(0, I))
          =      rec          + beta *      kl

with ``rec`` from ``F.bernoulli_nll`` (one sample of ``z``) and ``kl``
from ``F.gaussian_kl_divergence`` (closed form); both are summed over
pixels / latent units and averaged over the mini-batch. Adam optimizes
it. Uses dynet only through ``import dynet as chainer``.

By default it trains on the MNIST sample bundled with dynet (4,000
training and 1,000 test digits); ``--full`` downloads full MNIST.

Written to ``--out`` (default ``result``):
  log                  rec, kl, loss of every epoch, training and test
  model.npz            the trained VAE
  reconstruction.png   test digits (top) and their reconstructions
  samples.png          decodings of z ~ N(0, I)
  (the pictures only with matplotlib and without --noplot)

    python examples/vae/train_vae.py [--epoch 20] [--dim-z 20]
"""
import argparse
import os
import sys

import numpy

import dynet as chainer
import dynet.datasets  # NOQA
import dynet.functions as F
import dynet.iterators  # NOQA
import dynet.links as L
import dynet.optimizers  # NOQA
import dynet.serializers  # NOQA
from dynet import training
from dynet.training import extensions


class VAE(chainer.Chain):
    """784 -> n_h -> (mu, ln_var) of n_latent units -> n_h -> 784 logits."""

    def __init__(self, n_in, n_latent, n_h):
        super().__init__()
        with self.init_scope():
            # encoder
            self.le1 = L.Linear(n_in, n_h)
            self.le2_mu = L.Linear(n_h, n_latent)
            self.le2_ln_var = L.Linear(n_h, n_latent)
            # decoder
            self.ld1 = L.Linear(n_latent, n_h)
            self.ld2 = L.Linear(n_h, n_in)

    def encode(self, x):
        """The parameters of q(z|x): ``(mu, ln_var)``."""
        h = F.tanh(self.le1(x))
        return self.le2_mu(h), self.le2_ln_var(h)

    def decode(self, z, sigmoid=True):
        """Pixel probabilities (``sigmoid=True``) or their logits."""
        h = F.tanh(self.ld1(z))
        logits = self.ld2(h)
        return F.sigmoid(logits) if sigmoid else logits

    def forward(self, x, sample=False):
        """Reconstruction of ``x`` from the mean code (or a sampled one)."""
        mu, ln_var = self.encode(x)
        z = F.gaussian(mu, ln_var) if sample else mu
        return self.decode(z)


def elbo_terms(model, x, beta=1.0, k=1):
    """``(loss, rec, kl)`` for a batch ``x``, each averaged over the batch.

    ``rec`` is the Bernoulli negative log-likelihood averaged over ``k``
    reparameterized samples of z; ``kl`` the KL divergence of q(z|x) from
    N(0, I); ``loss = rec + beta * kl`` is the negative ELBO (for beta=1).
    """
    batchsize = len(x)
    mu, ln_var = model.encode(x)
    rec = 0
    for _ in range(k):
        z = F.gaussian(mu, ln_var)  # z = mu + exp(ln_var / 2) * eps
        rec += F.bernoulli_nll(x, model.decode(z, sigmoid=False)) / (
            k * batchsize)
    kl = F.gaussian_kl_divergence(mu, ln_var) / batchsize
    loss = rec + beta * kl
    return loss, rec, kl


def make_loss_func(model, beta=1.0, k=1):
    """The function the updater / evaluator calls with each batch; it
    reports ``rec``, ``kl``, ``loss`` and ``elbo`` (= -rec - kl)."""

    def loss_func(x):
        loss, rec, kl = elbo_terms(model, x, beta, k)
        chainer.report({'loss': loss, 'rec': rec, 'kl': kl,
                        'elbo': -(rec + kl)}, model)
        return loss

    return loss_func


def save_images(model, test, out, seed, dim_z):
    """reconstruction.png and samples.png; False if matplotlib is absent."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return False

    def grid(rows, filename):
        n_rows, n_cols = len(rows), len(rows[0])
        fig, axes = plt.subplots(n_rows, n_cols,
                                 figsize=(n_cols * 0.9, n_rows * 0.9))
        axes = numpy.asarray(axes).reshape(n_rows, n_cols)
        for r, row in enumerate(rows):
            for c, img in enumerate(row):
                axes[r, c].imshow(img.reshape(28, 28), cmap='gray',
                                  vmin=0, vmax=1)
                axes[r, c].axis('off')
        fig.tight_layout()
        fig.savefig(os.path.join(out, filename))
        plt.close(fig)

    rng = numpy.random.RandomState(seed)
    x = numpy.asarray(test[rng.choice(len(test), 10, replace=False)])
    with chainer.using_config('train', False), chainer.no_backprop_mode():
        recon = chainer.backend.CpuDevice().send(model(x).array)
        z = rng.standard_normal((10, dim_z)).astype(x.dtype)
        samples = chainer.backend.CpuDevice().send(model.decode(z).array)
    grid([x, recon], 'reconstruction.png')
    grid([samples], 'samples.png')
    return True


def parse_device(spec):
    """'-1' / '0' (Chainer's integer ids) or '@numpy' / '@cupy:0'."""
    try:
        spec = int(spec)
    except ValueError:
        pass
    return chainer.get_device(spec)


def main(argv=None):
    parser = argparse.ArgumentParser(description='dynet example: VAE')
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='number of images in each mini-batch')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='number of sweeps over the training set')
    parser.add_argument('--max-iterations', type=int, default=None,
                        help='stop after this many iterations (overrides '
                        '--epoch; for quick checks)')
    parser.add_argument('--dim-z', '-z', type=int, default=20,
                        help='dimension of the latent code')
    parser.add_argument('--dim-h', type=int, default=500,
                        help='hidden units of encoder and decoder')
    parser.add_argument('--beta', type=float, default=1.0,
                        help='weight of the KL term (1: the true ELBO)')
    parser.add_argument('--k', type=int, default=1,
                        help='samples of z per digit for the reconstruction '
                        'term')
    parser.add_argument('--device', '-d', type=str, default='-1',
                        help="device: '@numpy' or a negative integer for "
                        "the CPU, '@cupy:N' or N for GPU N")
    parser.add_argument('--out', '-o', default='result',
                        help='output directory')
    parser.add_argument('--full', action='store_true',
                        help='download and use the full MNIST instead of '
                        'the bundled sample')
    parser.add_argument('--noplot', dest='plot', action='store_false',
                        help='do not write the PNG pictures')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed (weights, shuffling, noise)')
    parser.add_argument('--no-progress', dest='progress',
                        action='store_false', help='no progress bar')
    args = parser.parse_args(argv)

    device = parse_device(args.device)
    print('Device: {}'.format(device))
    print('# dim z: {}  # dim h: {}  # beta: {}'.format(
        args.dim_z, args.dim_h, args.beta))
    print('# Minibatch-size: {}  # epoch: {}'.format(
        args.batchsize, args.epoch))
    print('# data: {}'.format('full MNIST' if args.full
                              else 'bundled MNIST sample'))
    print('')

    numpy.random.seed(args.seed)

    model = VAE(784, args.dim_z, args.dim_h)
    model.to_device(device)
    device.use()

    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)

    # Images only, pixels in [0, 1].
    train, test = chainer.datasets.get_mnist(withlabel=False,
                                             sample=not args.full)
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(
        test, args.batchsize, repeat=False, shuffle=False)

    updater = training.updaters.StandardUpdater(
        train_iter, optimizer, device=device,
        loss_func=make_loss_func(model, args.beta, args.k))
    stop = (args.epoch, 'epoch') if args.max_iterations is None else \
        (args.max_iterations, 'iteration')
    trainer = training.Trainer(updater, stop, out=args.out)

    # The test ELBO terms, every epoch (the "main" target is the model,
    # so they are reported as validation/main/...).
    trainer.extend(extensions.Evaluator(
        test_iter, model, device=device,
        eval_func=make_loss_func(model, args.beta, args.k)))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/rec',
         'main/kl', 'validation/main/rec', 'validation/main/kl',
         'elapsed_time'], out=sys.stdout))
    if args.progress:
        trainer.extend(extensions.ProgressBar(out=sys.stdout))

    trainer.run()

    # The test ELBO of the final model, over the whole test set.
    test_iter.reset()
    evaluator = extensions.Evaluator(
        test_iter, model, device=device,
        eval_func=make_loss_func(model, args.beta, args.k))
    result = {key: float(value) for key, value in evaluator().items()}
    print('final test: rec {:.2f}  kl {:.2f}  -ELBO {:.2f} nats/digit'.format(
        result['main/rec'], result['main/kl'],
        result['main/rec'] + result['main/kl']))

    os.makedirs(args.out, exist_ok=True)
    chainer.serializers.save_npz(os.path.join(args.out, 'model.npz'), model)
    if args.plot and save_images(model, test, args.out, args.seed,
                                 args.dim_z):
        print('reconstruction.png and samples.png written')
    print('log and model in {}'.format(os.path.abspath(args.out)))
    return result


if __name__ == '__main__':
    main()
