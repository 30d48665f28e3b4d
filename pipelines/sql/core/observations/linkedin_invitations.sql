-- The other party of each invitation.
SELECT 'linkedin_invitations' AS source, invitation_key AS ref,
       CASE WHEN direction = 'OUTGOING' THEN to_name ELSE from_name END AS name,
       []::VARCHAR[] AS emails,
       CASE WHEN direction = 'OUTGOING' THEN invitee_slug ELSE inviter_slug END AS linkedin_slug,
       NULL::VARCHAR AS company, false AS is_address_book, NULL::DATE AS observed_on
FROM staging.linkedin_invitations
