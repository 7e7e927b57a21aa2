"""LeNet for MNIST, as in the classic Caffe tutorial (scenario 1)."""
import dynet
import dynet.functions as F
import dynet.links as L


class LeNet(dynet.Chain):
    """conv(1->20, k5) -> maxpool(2, 2) -> conv(20->50, k5) -> maxpool(2, 2)
    -> fc(800->500) -> ReLU -> fc(500->10). Returns class scores (the
    deploy view applies softmax to them)."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(1, 20, 5)
            self.conv2 = L.Convolution2D(20, 50, 5)
            self.fc1 = L.Linear(800, 500)
            self.fc2 = L.Linear(500, 10)

    def forward(self, x):
        h = F.max_pooling_2d(self.conv1(x), 2, 2)
        h = F.max_pooling_2d(self.conv2(h), 2, 2)
        h = F.relu(self.fc1(h))
        return self.fc2(h)


class Deploy(dynet.Chain):
    """The deploy view: class probabilities, no loss."""

    def __init__(self, predictor):
        super().__init__()
        with self.init_scope():
            self.predictor = predictor

    def forward(self, x):
        return F.softmax(self.predictor(x))
