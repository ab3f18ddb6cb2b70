"""Values as documents write them: exact decimal text (exact), numbers in words and scale words
(numbers), periods (periods), and how values and text are shown (display).
"""
