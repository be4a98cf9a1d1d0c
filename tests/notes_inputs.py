"""Inputs the notes use in more than one section, as they write them."""

# the 5x5 input of the convolution section (05-pooling pools it too; the notes' pooling code goes straight to CIFAR-10)
INPUT_5X5 = [[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]]
