import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _run(*args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable] + list(args), cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True).stdout


def test_main_job_learns_on_the_bundled_sample():
    out = _run('examples/mnist_tape/train.py', '--epochs', '1')
    accuracy = float(re.findall(r'test accuracy ([0-9.]+)', out)[-1])
    assert 'dynet' in out and '4000 training and 1000 test' in out
    assert accuracy > 0.8, out


def test_readme_example_runs_and_fits():
    with open(os.path.join(ROOT, 'README.md')) as f:
        readme = f.read()
    code = re.search(r'```python\n(.*?)```', readme, re.S).group(1)
    out = _run('-c', code)
    w0, w1, b = [float(v) for v in re.findall(r'-?\d+\.\d+', out)]
    assert abs(w0 - 2.0) < 1e-3 and abs(w1 - 1.5) < 1e-3
    assert abs(b - 0.5) < 1e-3


def test_readme_commands_name_existing_scripts():
    with open(os.path.join(ROOT, 'README.md')) as f:
        readme = f.read()
    scripts = re.findall(r'python (examples/\S+\.py)', readme)
    assert scripts, 'the README names no example script'
    for script in scripts:
        assert os.path.exists(os.path.join(ROOT, script)), script
    assert "python -m pip install '.[test]' && python -m pytest tests" in \
        readme
    with open(os.path.join(ROOT, '.ci', 'run')) as f:
        assert "python -m pip install '.[test]' && python -m pytest tests" \
            in f.read()
