"""What people read: rules in words, terminal tables, the workbook, feedback."""
