"""Trainer extensions (``chainer.training.extensions``)."""
from dynet.training.extensions.computational_graph import (  # NOQA
    DumpGraph, dump_graph)
from dynet.training.extensions.evaluator import Evaluator  # NOQA
from dynet.training.extensions.fail_on_nonnumber import (  # NOQA
    FailOnNonNumber)
from dynet.training.extensions.log_report import LogReport  # NOQA
from dynet.training.extensions.micro_average import MicroAverage  # NOQA
from dynet.training.extensions.parameter_statistics import (  # NOQA
    ParameterStatistics)
from dynet.training.extensions.plot_report import PlotReport  # NOQA
from dynet.training.extensions.print_report import PrintReport  # NOQA
from dynet.training.extensions.progress_bar import ProgressBar  # NOQA
from dynet.training.extensions.value_observation import (  # NOQA
    observe_lr, observe_value)
from dynet.training.extensions.variable_statistics_plot import (  # NOQA
    VariableStatisticsPlot)
from dynet.training.extensions.variable_unchain import (  # NOQA
    unchain_variables)
from dynet.training.extensions import snapshot_writers  # NOQA
from dynet.training.extensions._snapshot import snapshot  # NOQA
from dynet.training.extensions._snapshot import snapshot_object  # NOQA
from dynet.training.extensions.exponential_shift import ExponentialShift  # NOQA
from dynet.training.extensions.inverse_shift import InverseShift  # NOQA
from dynet.training.extensions.linear_shift import LinearShift  # NOQA
from dynet.training.extensions.multistep_shift import MultistepShift  # NOQA
from dynet.training.extensions.polynomial_shift import PolynomialShift  # NOQA
from dynet.training.extensions.step_shift import StepShift  # NOQA
from dynet.training.extensions.warmup_shift import WarmupShift  # NOQA
