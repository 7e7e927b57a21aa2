"""One model case of ``_gpu_cases.py`` on the CPU under one framework:
dynet, Chainer (the same model code, run against the real Chainer) or
PyTorch. Prints one JSON line with milliseconds per step (best of several
rounds); ``run_models.py`` runs it in each framework's interpreter and
builds the comparison table.

    python benchmarks/model_step.py --framework dynet --case lenet-b64
"""
import argparse
import json
import os
import sys

import numpy

from _timing import best_ms

HERE = os.path.dirname(os.path.abspath(__file__))


def _import_cases(framework):
    if framework == 'chainer':
        os.environ['DYNET_BENCH_API'] = 'chainer'
    sys.path.insert(0, HERE)
    import _gpu_cases
    return _gpu_cases


def build_step(cases, framework, case, seed=0):
    family = case.family
    config = family.config(False)
    data = family.make_data(numpy.random.RandomState(seed), case.batch,
                            config)
    numpy.random.seed(seed)
    if framework == 'torch':
        torch = cases.torch_modules().torch
        torch.manual_seed(seed)
        model = family.torch_model(config)
        data = {key: torch.from_numpy(value) for key, value in data.items()}
        return family.torch_step(model, family.torch_optimizer(model), data), \
            torch.__version__
    # dynet and Chainer run the same Chainer-API code (_gpu_cases imported
    # the framework as its ``chainer``).
    model = family.dynet_model(config)
    return family.dynet_step(model, family.dynet_optimizer(model), data), \
        cases.chainer.__version__


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--framework', choices=['dynet', 'chainer', 'torch'],
                        required=True)
    parser.add_argument('--case', required=True)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--steps', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
    args = parser.parse_args(argv)
    cases = _import_cases(args.framework)
    by_name = {case.name: case for case in cases.CASES}
    if args.case not in by_name:
        parser.error('unknown case {!r}; known: {}'.format(
            args.case, ', '.join(by_name)))
    case = by_name[args.case]
    step, version = build_step(cases, args.framework, case)
    ms = best_ms(step, args.rounds, args.steps, args.warmup)
    samples = case.family.samples_per_step(case.batch, case.family.config(
        False))
    print(json.dumps({'framework': args.framework, 'version': version,
                      'numpy': numpy.__version__,
                      'python': sys.version.split()[0], 'case': args.case,
                      'ms_per_step': ms,
                      'samples_per_s': samples / ms * 1e3}))


if __name__ == '__main__':
    main()
