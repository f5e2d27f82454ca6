"""The Excel questionnaire: its layout, the template writer and the reader."""
