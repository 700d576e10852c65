export const TOPICS = [
  'Chess', 'Robotics', 'Debate', 'Jazz', 'Film', 'Photography', 'Poetry', 'Hiking', 'Climbing', 'Sailing',
  'Rowing', 'Fencing', 'Astronomy', 'Economics', 'Finance', 'Consulting', 'Entrepreneurship', 'Marketing',
  'Design', 'Architecture', 'Theatre', 'Improv', 'A Cappella', 'Orchestra', 'Choir', 'Dance', 'Salsa',
  'Ballet', 'Hip Hop', 'Anime', 'Gaming', 'Esports', 'Coding', 'Machine Learning', 'Cybersecurity',
  'Blockchain', 'Biotech', 'Neuroscience', 'Medicine', 'Public Health', 'Law', 'Policy', 'Journalism',
  'Radio', 'Podcasting', 'Literature', 'Philosophy', 'History', 'Classics', 'Linguistics', 'Mathematics',
  'Physics', 'Chemistry', 'Ecology', 'Sustainability', 'Gardening', 'Cooking', 'Baking', 'Coffee', 'Tea',
  'Wine Tasting', 'Volunteering', 'Tutoring', 'Mentoring', 'Model UN', 'Mock Trial', 'Quiz Bowl', 'Rugby',
  'Soccer', 'Ultimate Frisbee', 'Volleyball', 'Tennis', 'Squash', 'Badminton', 'Table Tennis', 'Running',
  'Cycling', 'Triathlon', 'Yoga', 'Meditation', 'Knitting', 'Pottery', 'Painting', 'Comics', 'Magic',
  'Board Games', 'Origami', 'Aviation', 'Space', 'Rocketry', 'Solar Car', 'Formula Racing', 'Bridge',
]

export const FORMS = [
  '{t} Club', '{t} Society', 'Society of {t}', '{t} Collective', '{t} Association', '{t} Guild',
  'Undergraduate {t} Group', '{t} Initiative', '{t} Team', 'The {t} Project', '{t} Union', '{t} Circle',
]

/** Campuses of the multicampus scale, a prefix of its club names. */
export const CAMPUSES = [
  'North', 'South', 'Downtown', 'Riverside', 'Lakeside', 'Hillcrest', 'Harbor', 'Midtown', 'Westfield',
  'Eastgate', 'Medical Center', 'Valley',
]

/** Qualifiers of a topic's later clubs on the same campus ('' = the first one). */
export const CLUB_QUALIFIERS = [
  '', "Women's", 'Intermediate', 'Recreational', 'Competitive', 'Alumni', 'Beginners', 'Varsity', 'Evening',
  'Honors', 'International', 'Weekend',
]

export const ADJECTIVES = [
  'friendly', 'ambitious', 'curious', 'welcoming', 'competitive', 'creative', 'student-run', 'award-winning',
  'inclusive', 'hands-on', 'weekly', 'relaxed', 'vibrant', 'close-knit', 'growing', 'long-standing',
]

export const NOUNS = [
  'community', 'workshops', 'socials', 'projects', 'competitions', 'mentors', 'alumni', 'meetings', 'trips',
  'speakers', 'performances', 'tournaments', 'hackathons', 'retreats', 'showcases', 'panels', 'dinners',
]

export const WORDS = [
  'we', 'meet', 'every', 'week', 'to', 'share', 'ideas', 'and', 'build', 'things', 'together', 'with',
  'students', 'from', 'all', 'years', 'no', 'experience', 'needed', 'join', 'our', 'team', 'learn', 'new',
  'skills', 'make', 'friends', 'compete', 'across', 'the', 'country', 'host', 'events', 'on', 'campus',
]

export const TAG_BASES = [
  'Academic', 'Arts', 'Athletics', 'Business', 'Career', 'Community Service', 'Cultural', 'Engineering',
  'Environmental', 'Faith', 'Gaming', 'Graduate', 'Health', 'Hobby', 'Identity', 'International', 'Media',
  'Music', 'Outdoors', 'Performing Arts', 'Political', 'Pre-professional', 'Publication', 'Research',
  'Science', 'Social', 'Social Justice', 'Technology', 'Recreation', 'Wellness',
]

export const TAG_QUALIFIERS = ['', 'Advanced', 'Beginner', 'Competitive', 'Casual', 'Undergraduate']

export const SCHOOLS = ['Arts and Sciences', 'Engineering', 'Business', 'Nursing', 'Design', 'Education', 'Law']

export const MAJORS = [
  'Computer Science', 'Economics', 'Biology', 'History', 'Mathematics', 'Physics', 'English', 'Finance',
  'Mechanical Engineering', 'Psychology', 'Political Science', 'Chemistry', 'Nursing', 'Architecture',
  'Philosophy', 'Sociology', 'Marketing', 'Electrical Engineering', 'Linguistics', 'Music',
]

export const FIRST_NAMES = [
  'Ava', 'Ben', 'Chloe', 'Daniel', 'Emma', 'Felix', 'Grace', 'Hugo', 'Isla', 'Jack', 'Kai', 'Lena', 'Mia',
  'Noah', 'Olivia', 'Priya', 'Quinn', 'Ravi', 'Sofia', 'Theo', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zane',
]

export const LAST_NAMES = [
  'Adams', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Huang', 'Ito', 'Johnson', 'Kim', 'Lopez',
  'Martin', 'Nguyen', 'Okafor', 'Patel', 'Rossi', 'Singh', 'Tanaka', 'Usman', 'Varga', 'Wang', 'Young', 'Zhou',
]

export const COMMITTEE_NAMES = ['Marketing', 'Finance', 'Events', 'Outreach', 'Operations', 'Design', 'Tech']

export const QUESTION_PROMPTS = [
  'Why do you want to join us?',
  'Tell us about a project you are proud of.',
  'What would you bring to the team?',
  'Describe a time you worked in a group.',
  'What are you hoping to learn this year?',
  'How many hours per week can you commit?',
]

export const EVENT_TYPES = ['recruitment', 'general', 'social', 'workshop', 'info_session', 'other'] as const
