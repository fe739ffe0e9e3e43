"""The review queue: pairs just under the match threshold, for staff to accept or reject."""
