"""The learned matching model: Splink (Fellegi-Sunter) trained on the records being resolved.

`columns` turns record features into the table Splink reads, `levels` declares the
comparisons as data and renders them as Splink settings, `training` estimates the model
from unlabelled records (and analysts' labels), `scoring` scores candidate pairs with it.
"""
