#!/usr/bin/env python
"""REINFORCE (the likelihood-ratio gradient) on a contextual bandit.

Each step draws a batch of contexts ``x ~ N(0, I)`` (``--dim`` features).
A hidden linear map decides the best of ``--actions`` K actions for each
context, ``best(x) = argmax(W_true x)``. Pulling the best action pays 1
with probability 0.9, any other action with probability 0.2, so the best
possible average reward is 0.9 and a uniformly random policy earns
``(0.9 + 0.2 (K - 1)) / K`` (0.375 for K = 4).

The policy is one Linear layer followed by a softmax over the K actions,
``pi(a|x) = softmax(W x + b)[a]``. Actions are *sampled* from it (the
sampling is not differentiable), and the parameters follow the
likelihood-ratio (score-function) estimate of the gradient of the
expected reward, i.e. they minimize the surrogate loss

    -(R - b) * log pi(a|x)      averaged over the batch,

whose gradient is ``-(R - b) * grad log pi(a|x)``. ``b`` is a moving
average of past rewards, a baseline that leaves the estimate unbiased
and lowers its variance. Prints the average reward of every
``--report`` (default 100) steps.

    python examples/vae/reinforce.py [--steps 2000] [--actions 4]
"""
import argparse

import numpy

import dynet as chainer
import dynet.functions as F
import dynet.links as L
import dynet.optimizers  # NOQA

P_BEST = 0.9   # chance of reward 1 for the best action
P_OTHER = 0.2  # ... for any other action


class Bandit(object):
    """Contexts, their best actions and the Bernoulli rewards."""

    def __init__(self, dim, n_actions, rng):
        self.dim = dim
        self.n_actions = n_actions
        self.rng = rng
        self.w_true = rng.standard_normal((n_actions, dim))

    def contexts(self, n):
        return self.rng.standard_normal((n, self.dim)).astype(numpy.float32)

    def best_actions(self, x):
        return numpy.argmax(x.dot(self.w_true.T), axis=1)

    def rewards(self, x, actions):
        p = numpy.where(actions == self.best_actions(x), P_BEST, P_OTHER)
        return (self.rng.uniform(size=len(x)) < p).astype(numpy.float32)

    def expected_reward(self, policy, n=10000):
        """The mean reward policy earns (sampling its actions), computed
        exactly from pi(a|x) on n fresh contexts."""
        x = self.contexts(n)
        with chainer.no_backprop_mode():
            pi = numpy.exp(policy(x).array)
        p = numpy.full(pi.shape, P_OTHER)
        p[numpy.arange(n), self.best_actions(x)] = P_BEST
        return float((pi * p).sum(axis=1).mean())

    @property
    def random_policy_reward(self):
        k = self.n_actions
        return (P_BEST + P_OTHER * (k - 1)) / k


class Policy(chainer.Chain):
    """A linear softmax policy over K discrete actions."""

    def __init__(self, dim, n_actions):
        super().__init__()
        with self.init_scope():
            # zero weights: the policy starts uniform over the actions
            self.fc = L.Linear(dim, n_actions, initialW=0)

    def forward(self, x):
        """Log-probabilities log pi(.|x), shape (batch, K)."""
        return F.log_softmax(self.fc(x))

    def sample(self, x, rng):
        """One action per context, drawn from pi(.|x)."""
        with chainer.no_backprop_mode():
            p = numpy.exp(self.forward(x).array)
        # inverse-CDF sampling, one uniform number per row
        u = rng.uniform(size=(len(x), 1))
        a = (numpy.cumsum(p, axis=1) < u).sum(axis=1)
        return numpy.minimum(a, p.shape[1] - 1).astype(numpy.int32)


def reinforce_loss(policy, x, actions, advantage):
    """The surrogate ``-(R - b) * log pi(a|x)``, averaged over the batch.

    ``advantage`` is the array ``R - b``: a constant, no gradient flows
    through the reward or the baseline.
    """
    log_pi_a = F.select_item(policy(x), actions)
    return -F.mean(advantage * log_pi_a)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='dynet example: REINFORCE on a contextual bandit')
    parser.add_argument('--steps', type=int, default=2000,
                        help='number of policy updates')
    parser.add_argument('--batchsize', '-b', type=int, default=16,
                        help='contexts (one action each) per update')
    parser.add_argument('--dim', type=int, default=8,
                        help='number of context features')
    parser.add_argument('--actions', '-k', type=int, default=4,
                        help='number of actions K')
    parser.add_argument('--lr', type=float, default=0.5,
                        help='SGD learning rate')
    parser.add_argument('--baseline-decay', type=float, default=0.9,
                        help='baseline update: b <- decay * b + '
                        '(1 - decay) * mean reward of the batch')
    parser.add_argument('--no-baseline', dest='baseline',
                        action='store_false',
                        help='plain REINFORCE without a baseline (b = 0)')
    parser.add_argument('--report', type=int, default=100,
                        help='print the average reward every this many '
                        'steps')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed (bandit, contexts, sampling)')
    args = parser.parse_args(argv)

    rng = numpy.random.RandomState(args.seed)
    bandit = Bandit(args.dim, args.actions, rng)
    policy = Policy(args.dim, args.actions)
    optimizer = chainer.optimizers.SGD(lr=args.lr)
    optimizer.setup(policy)

    print('# actions: {}  # context dim: {}  # batch: {}'.format(
        args.actions, args.dim, args.batchsize))
    print('reward: optimum {:.3f}, uniformly random policy {:.3f}'.format(
        P_BEST, bandit.random_policy_reward))
    start = bandit.expected_reward(policy)
    print('expected reward of the initial policy: {:.3f}'.format(start))
    print('{:>6}  {:>10}  {:>9}  {:>11}'.format(
        'step', 'avg reward', 'baseline', 'best action'))

    baseline = 0.0
    history = []  # average reward of each report window
    window_rewards, window_hits = [], []
    for step in range(1, args.steps + 1):
        x = bandit.contexts(args.batchsize)
        actions = policy.sample(x, rng)
        rewards = bandit.rewards(x, actions)

        advantage = rewards - numpy.float32(baseline)
        policy.cleargrads()
        loss = reinforce_loss(policy, x, actions, advantage)
        loss.backward()
        optimizer.update()

        if args.baseline:
            baseline = (args.baseline_decay * baseline +
                        (1 - args.baseline_decay) * float(rewards.mean()))
        window_rewards.append(rewards.mean())
        window_hits.append(
            numpy.mean(actions == bandit.best_actions(x)))
        if step % args.report == 0:
            avg = float(numpy.mean(window_rewards))
            history.append(avg)
            print('{:>6}  {:>10.3f}  {:>9.3f}  {:>11.3f}'.format(
                step, avg, baseline, float(numpy.mean(window_hits))))
            window_rewards, window_hits = [], []

    final = bandit.expected_reward(policy)
    print('expected reward of the trained policy: {:.3f}'.format(final))
    # The greedy policy (argmax pi) on fresh contexts.
    x = bandit.contexts(10000)
    with chainer.no_backprop_mode():
        greedy = numpy.argmax(policy(x).array, axis=1)
    greedy_hits = float(numpy.mean(greedy == bandit.best_actions(x)))
    print('greedy policy picks the best action for {:.1%} of new '
          'contexts'.format(greedy_hits))
    return {'history': history, 'greedy_accuracy': greedy_hits,
            'initial_expected': start, 'final_expected': final,
            'optimum': P_BEST, 'random': bandit.random_policy_reward}


if __name__ == '__main__':
    main()
