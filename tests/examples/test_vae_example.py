import importlib.util
import json
import os

import numpy
import pytest

import dynet
import dynet.datasets
import dynet.optimizers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _load(name):
    path = os.path.join(ROOT, 'examples', 'vae', name + '.py')
    spec = importlib.util.spec_from_file_location('vae_' + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def vae_example():
    return _load('train_vae')


@pytest.fixture(scope='module')
def reinforce_example():
    return _load('reinforce')


@pytest.fixture(scope='module')
def digits():
    train, _ = dynet.datasets.get_mnist(withlabel=False, sample=True)
    return numpy.asarray(train[:64])


def test_vae_gradients_reach_both_encoder_heads(vae_example, digits):
    numpy.random.seed(0)
    model = vae_example.VAE(784, 4, 32)
    # beta=0: ln_var gets a gradient only through the reparameterized
    # sample z = mu + exp(ln_var / 2) * eps, not through the KL term.
    for beta in (0.0, 1.0):
        model.cleargrads()
        loss, rec, kl = vae_example.elbo_terms(model, digits, beta=beta)
        assert float(rec.array) > 0 and float(kl.array) >= 0
        loss.backward()
        for head in (model.le2_mu, model.le2_ln_var):
            grad = head.W.grad
            assert grad is not None
            assert numpy.all(numpy.isfinite(grad))
            assert numpy.abs(grad).max() > 1e-6
        assert numpy.abs(model.le1.W.grad).max() > 0


def test_vae_loss_decreases(vae_example, digits):
    numpy.random.seed(0)
    model = vae_example.VAE(784, 4, 32)
    optimizer = dynet.optimizers.Adam(alpha=0.003)
    optimizer.setup(model)
    loss_func = vae_example.make_loss_func(model)
    losses = []
    for _ in range(30):
        model.cleargrads()
        loss = loss_func(digits)
        loss.backward()
        optimizer.update()
        losses.append(float(loss.array))
    # 784 Bernoulli pixels start near 784 * log 2 = 543 nats
    assert 400 < losses[0] < 700
    # measured: the last three average 0.46-0.47 of the first (seeds 0-4)
    assert numpy.mean(losses[-3:]) < 0.6 * losses[0]
    assert all(b < a for a, b in zip(losses[5::5], losses[10::5]))


def test_vae_short_run_writes_outputs(vae_example, tmp_path, capsys):
    out = tmp_path / 'vae'
    result = vae_example.main(['--epoch', '2', '--dim-h', '64',
                               '--dim-z', '8', '--out', str(out),
                               '--no-progress'])
    log = json.loads((out / 'log').read_text())
    assert len(log) == 2
    for key in ('main/loss', 'main/rec', 'main/kl', 'main/elbo',
                'validation/main/loss'):
        assert key in log[0], key
    assert log[1]['main/loss'] < log[0]['main/loss']
    assert log[1]['validation/main/loss'] < log[0]['validation/main/loss']
    assert abs(log[0]['main/elbo'] +
               log[0]['main/rec'] + log[0]['main/kl']) < 1e-3
    assert result['main/rec'] + result['main/kl'] < 300
    assert (out / 'model.npz').exists()
    try:
        import matplotlib  # NOQA
    except ImportError:
        pass
    else:
        assert (out / 'reconstruction.png').exists()
        assert (out / 'samples.png').exists()
    assert 'final test' in capsys.readouterr().out


def test_reinforce_loss_is_the_likelihood_ratio_gradient(reinforce_example):
    policy = reinforce_example.Policy(3, 4)
    rng = numpy.random.RandomState(1)
    policy.fc.W.array[...] = rng.standard_normal((4, 3))
    x = rng.standard_normal((5, 3)).astype(numpy.float32)
    actions = numpy.array([0, 3, 1, 1, 2], numpy.int32)
    advantage = numpy.array([0.5, -0.2, 1.0, 0.0, -0.7], numpy.float32)
    policy.cleargrads()
    reinforce_example.reinforce_loss(policy, x, actions, advantage).backward()
    # d/dlogits of -(R - b) log softmax(logits)[a] = -(R - b)(onehot - pi)
    logits = x.dot(policy.fc.W.array.T) + policy.fc.b.array
    pi = numpy.exp(logits) / numpy.exp(logits).sum(axis=1, keepdims=True)
    g = -advantage[:, None] * (numpy.eye(4)[actions] - pi) / len(x)
    numpy.testing.assert_allclose(policy.fc.W.grad, g.T.dot(x), rtol=1e-4,
                                  atol=1e-6)
    numpy.testing.assert_allclose(policy.fc.b.grad, g.sum(axis=0),
                                  rtol=1e-4, atol=1e-6)


def test_reinforce_reward_rises(reinforce_example, capsys):
    result = reinforce_example.main(['--steps', '400', '--seed', '0'])
    history = result['history']
    assert len(history) == 4
    # starts uniform: exactly the random policy's reward
    assert abs(result['initial_expected'] - result['random']) < 0.02
    assert result['final_expected'] > result['initial_expected'] + 0.3
    assert history[-1] > history[0] + 0.1
    assert history[-1] > 0.7
    assert result['greedy_accuracy'] > 0.85
    assert 'avg reward' in capsys.readouterr().out


@pytest.fixture(scope='module')
def distributions_example():
    return _load('vae_distributions')


def test_distributions_vae_computes_the_same_elbo(vae_example,
                                                  distributions_example,
                                                  digits):
    # The same weights in both models; a vanishing sigma makes the
    # sampled z equal the mean in both, so the two losses must agree
    # (KL in closed form in both).
    x = digits[:16]
    numpy.random.seed(1)
    ref = vae_example.VAE(784, 3, 8)
    model = distributions_example.make_model(784, 3, 8)
    enc, dec = model.encoder, model.decoder
    enc.linear.W.array[...] = ref.le1.W.array
    enc.linear.b.array[...] = ref.le1.b.array
    enc.mu.W.array[...] = ref.le2_mu.W.array
    enc.mu.b.array[...] = ref.le2_mu.b.array
    enc.ln_sigma.W.array[...] = 0
    enc.ln_sigma.b.array[...] = -12
    ref.le2_ln_var.W.array[...] = 0
    ref.le2_ln_var.b.array[...] = -24          # ln_var = 2 ln_sigma
    dec.linear.W.array[...] = ref.ld1.W.array
    dec.linear.b.array[...] = ref.ld1.b.array
    dec.output.W.array[...] = ref.ld2.W.array
    dec.output.b.array[...] = ref.ld2.b.array
    loss = model(x)
    expected, rec, kl = vae_example.elbo_terms(ref, x)
    numpy.testing.assert_allclose(loss.array, expected.array, rtol=1e-4)
    numpy.testing.assert_allclose(
        -model.decoder(model.encoder(x).mean[None]).log_prob(x[None])
        .array.mean(), rec.array, rtol=1e-4)


def test_distributions_vae_trains_through_the_sampled_code(
        distributions_example, digits):
    numpy.random.seed(0)
    model = distributions_example.make_model(784, 4, 16)
    loss = model(digits[:32])
    model.cleargrads()
    loss.backward()
    # the reparameterized sample carries gradients to both encoder heads
    for link in (model.encoder.mu, model.encoder.ln_sigma):
        assert numpy.abs(link.W.grad).sum() > 0
    final = distributions_example.main(['--iterations', '20', '--dim-h',
                                        '32', '--batchsize', '50'])
    assert numpy.isfinite(final) and final < 543  # 784 * log(2) at start
