"""Sample multi-source customer data with known truth, for `c360 generate`."""

from c360graph.generate.dataset import DatasetSummary, generate_dataset

__all__ = ["DatasetSummary", "generate_dataset"]
