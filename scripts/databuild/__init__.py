"""Builders of the data package tables that scripts/build_data.py writes, one module per source.

    csvio       reading source files and writing package CSVs byte for byte the same on every run
    arms        SIPRI Arms Transfers Database trade register -> arms_transfers
    unvotes     Bailey-Strezhnev-Voeten UNGA ideal points -> un_ideal_points
    agreements  DESTA list of treaties -> trade_agreements, trade_agreement_members
    forums      corrections and additions to COW memberships for the forums a brief names

Each builder takes the shared sources folder (and, where it maps names or codes, the countries
table already built) and returns pandas frames whose cells are the text written to the CSV files.
"""
